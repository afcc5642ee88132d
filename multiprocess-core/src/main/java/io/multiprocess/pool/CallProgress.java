package io.multiprocess.pool;

import java.time.Duration;
import java.util.Optional;

/**
 * How far one call on a pool has got: a {@code map}, {@code starmap}, {@code imap}, {@code imapUnordered} or
 * {@code apply}. Counted from the results that come back anyway (a chunk's items count when its result or failure
 * arrives), so following progress costs no message.
 *
 * <pre>{@code
 * AsyncResult<List<Row>> rows = pool.mapAsync(Row::parse, lines);
 * rows.onProgress(p -> log.info("{}/{} parsed, {} left", p.done(), p.total(), p.estimatedTimeLeft().orElse(null)));
 * CallProgress now = rows.progress();
 * }</pre>
 *
 * @param callId the call's number, unique in this JVM
 * @param kind {@code map}, {@code starmap}, {@code imap}, {@code imap_unordered} or {@code apply}
 * @param done items whose task succeeded
 * @param failed items whose task failed (an exception, a crash, a timeout, a cancel): a failed chunk counts all its
 *     items
 * @param total the call's items; -1 while an {@code imap}'s input has not been read to its end
 * @param finished whether every item has ended
 * @param elapsed since the call was made, up to its end once finished
 * @param timeSpent where the time of its ended tasks went: queued, working in the workers, and (de)serializing in
 *     the parent and the workers (see {@link TimeSpent}); counted from the results, so it costs no message either
 */
public record CallProgress(long callId, String kind, long done, long failed, long total, boolean finished,
        Duration elapsed, TimeSpent timeSpent) {

    /** Whether {@link #total()} is known. */
    public boolean totalKnown() {
        return total >= 0;
    }

    /** Items that ended, done or failed. */
    public long ended() {
        return done + failed;
    }

    /** Items ended per second so far; 0 before the first. */
    public double itemsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : ended() / seconds;
    }

    /** At the rate so far, how long the items not ended yet will take; empty without a total or a rate. */
    public Optional<Duration> estimatedTimeLeft() {
        double rate = itemsPerSecond();
        if (!totalKnown() || rate <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) ((total - ended()) / rate * 1e9)));
    }
}
