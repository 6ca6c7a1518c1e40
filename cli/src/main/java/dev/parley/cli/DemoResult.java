package dev.parley.cli;

/** The outcome of {@code parley demo}, as the summary prints it. */
record DemoResult(int sent, int received, int duplicates, int lost,
                  int spamSent, int spamStreamed, int spamStored,
                  int errors, int retries, int restarts, int failures, MembershipChapter.Outcome membership) {

    /**
     * Nothing lost or duplicated, no spam let through, the stream came back after the dropped
     * connection, and membership changes were followed live.
     */
    boolean ok() {
        return lost == 0 && duplicates == 0 && spamStreamed == 0 && spamStored == 0 && restarts > 0 && failures == 0
                && membership.ok();
    }

    void print(Console console) {
        console.line("");
        console.line("== summary");
        console.line("  group messages sent:       %d", sent);
        console.line("  received by bob's stream:  %d", received);
        console.line("  duplicates:                %d", duplicates);
        console.line("  lost:                      %d", lost);
        console.line("  spam messages blocked:     %d of %d (on bob's stream: %d, in bob's store: %d)",
                spamSent - Math.max(spamStreamed, spamStored), spamSent, spamStreamed, spamStored);
        console.line("  retries observed:          %d (onError %d, onRestart %d, onFail %d)",
                retries, errors, restarts, failures);
        console.line("  dave added to the group:   %d of %d entries since his addition, %s",
                membership.daveReceived(), membership.daveExpected(),
                membership.daveSawHistory() ? "SOME FROM BEFORE IT" : "none from before it");
        console.line("  carol removed:             removal her last value: %s, group stream ended: %s, send refused: %s",
                yes(membership.carolGotRemovalLast()), yes(membership.carolStreamEnded()),
                yes(membership.carolSendRefused()));
        console.line("result: %s", ok() ? "OK - nothing lost, nothing duplicated, no spam delivered, membership followed"
                : "PROBLEM - see above" + (restarts == 0 ? " (bob's stream never restarted)" : ""));
    }

    private static String yes(boolean value) {
        return value ? "yes" : "NO";
    }
}
