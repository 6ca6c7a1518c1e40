package dev.parley.transport.websocket;

import dev.parley.tck.MembershipContract;

class WebSocketMembershipTest extends MembershipContract {
    @Override
    protected String scheme() {
        return "ws";
    }
}
