package io.multiprocess.queues;

import io.multiprocess.internal.hosting.HostAddress;
import io.multiprocess.internal.hosting.MailboxAccess;
import io.multiprocess.internal.hosting.Messages;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.SharedHandle;

/** How a queue travels: its kind, where it is hosted, its bound and its reducer's name. */
record QueueToken(Kind kind, HostAddress host, long mailboxId, int maxsize, String reducer) implements HandleToken {

    enum Kind { QUEUE, JOINABLE, SIMPLE }

    @Override
    public SharedHandle resolve() {
        MailboxAccess access = MailboxAccess.of(host, mailboxId, maxsize);
        Reducer itemReducer = Messages.reducer(reducer);
        return switch (kind) {
            case QUEUE -> new MpQueue<>(access, itemReducer);
            case JOINABLE -> new JoinableQueue<>(access, itemReducer);
            case SIMPLE -> new SimpleQueue<>(access, itemReducer);
        };
    }
}
