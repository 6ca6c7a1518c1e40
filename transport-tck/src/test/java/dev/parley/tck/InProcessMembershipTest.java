package dev.parley.tck;

/** The in-process transport under the group membership rules. */
class InProcessMembershipTest extends MembershipContract {
    @Override
    protected String scheme() {
        return "inproc";
    }

    @Override
    protected String listenAddress() {
        return null;
    }
}
