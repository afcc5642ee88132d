package io.multiprocess.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who runs what next, decided without a JVM: workers here are the scheduler's bookkeeping only, with no child
 * process behind them, which is all a dispatch reads.
 */
class DispatcherTest {

    private static final TaskRunner.Completion IGNORED = new TaskRunner.Completion() {
        @Override
        public void succeeded(List<Object> results) {
        }

        @Override
        public void failed(RuntimeException error) {
        }
    };

    private long ids;

    private PoolTask task(TaskGroup group) {
        return task(group, null);
    }

    private PoolTask task(TaskGroup group, Duration timeout) {
        return new PoolTask(++ids, group, new byte[0], 1, timeout, IGNORED);
    }

    private static PoolWorker worker(WorkerState state) {
        PoolWorker worker = new PoolWorker(null);
        worker.state = state;
        return worker;
    }

    private static TaskGroup shortTasks() {
        TaskGroup group = new TaskGroup("map", -1);
        group.ran(1_000);
        return group;
    }

    @Test
    void eachIdleWorkerGetsTheNextTaskInOrder() {
        Dispatcher dispatcher = new Dispatcher(0);
        TaskGroup call = new TaskGroup("map", -1);
        PoolTask first = task(call);
        PoolTask second = task(call);
        PoolTask third = task(call);
        List.of(first, second, third).forEach(dispatcher::add);
        PoolWorker a = worker(WorkerState.IDLE);
        PoolWorker b = worker(WorkerState.IDLE);

        Dispatcher.Round round = dispatcher.dispatch(List.of(a, b), true);

        assertThat(round.started()).containsExactly(first, second);
        assertThat(round.toFlush()).containsExactly(a, b);
        assertThat(a.tasks).containsExactly(first);
        assertThat(b.tasks).containsExactly(second);
        assertThat(a.state).isEqualTo(WorkerState.BUSY);
        assertThat(first.worker).isSameAs(a);
        assertThat(a.outbox).hasSize(1);
        assertThat(dispatcher.size()).as("a long task's call is not handed ahead").isEqualTo(1);
    }

    @Test
    void startingAndStoppingWorkersGetNothing() {
        Dispatcher dispatcher = new Dispatcher(0);
        dispatcher.add(task(new TaskGroup("map", -1)));
        Dispatcher.Round round = dispatcher.dispatch(
                List.of(worker(WorkerState.STARTING), worker(WorkerState.STOPPING)), true);
        assertThat(round.started()).isEmpty();
        assertThat(round.toFlush()).isEmpty();
        assertThat(dispatcher.size()).isEqualTo(1);
    }

    @Test
    void busyWorkersAreToppedUpEvenlyWithShortTasksOfTheirOwnCall() {
        Dispatcher dispatcher = new Dispatcher(0);
        TaskGroup call = shortTasks();
        PoolWorker a = worker(WorkerState.IDLE);
        PoolWorker b = worker(WorkerState.IDLE);
        for (int i = 0; i < 6; i++) {
            dispatcher.add(task(call));
        }

        dispatcher.dispatch(List.of(a, b), true);

        assertThat(a.tasks).hasSize(3);
        assertThat(b.tasks).hasSize(3);
        assertThat(dispatcher.isEmpty()).isTrue();
    }

    @Test
    void aWorkerHoldsAtMostPrefetchTasksAhead() {
        Dispatcher dispatcher = new Dispatcher(0);
        TaskGroup call = shortTasks();
        for (int i = 0; i < 50; i++) {
            dispatcher.add(task(call));
        }
        PoolWorker only = worker(WorkerState.IDLE);

        dispatcher.dispatch(List.of(only), true);

        assertThat(only.tasks).hasSize(1 + Dispatcher.PREFETCH);
        assertThat(dispatcher.size()).isEqualTo(50 - 1 - Dispatcher.PREFETCH);
    }

    @Test
    void nothingIsHeldAheadFromAnotherCallOrWithATimeoutOrPastTheTaskBudget() {
        TaskGroup running = shortTasks();
        PoolWorker busy = worker(WorkerState.IDLE);

        Dispatcher otherCall = new Dispatcher(0);
        otherCall.add(task(running));
        otherCall.add(task(shortTasks()));
        otherCall.dispatch(List.of(busy), true);
        assertThat(busy.tasks).as("another call's task").hasSize(1);

        PoolWorker second = worker(WorkerState.IDLE);
        Dispatcher timed = new Dispatcher(0);
        timed.add(task(running));
        timed.add(task(running, Duration.ofSeconds(1)));
        timed.dispatch(List.of(second), true);
        assertThat(second.tasks).as("a task with a timeout").hasSize(1);

        PoolWorker recycledSoon = worker(WorkerState.IDLE);
        recycledSoon.tasksDone = 2;
        Dispatcher budget = new Dispatcher(4);
        for (int i = 0; i < 5; i++) {
            budget.add(task(running));
        }
        budget.dispatch(List.of(recycledSoon), true);
        assertThat(recycledSoon.tasks).as("2 done + 2 held = the budget of 4").hasSize(2);
    }

    @Test
    void onceThePoolTakesNoWorkIdleWorkersWithNothingLeftAreStopped() {
        Dispatcher dispatcher = new Dispatcher(0);
        dispatcher.add(task(new TaskGroup("map", -1)));
        PoolWorker gets = worker(WorkerState.IDLE);
        PoolWorker stops = worker(WorkerState.IDLE);

        Dispatcher.Round round = dispatcher.dispatch(List.of(gets, stops), false);

        assertThat(gets.state).as("the last queued task still runs").isEqualTo(WorkerState.BUSY);
        assertThat(stops.state).isEqualTo(WorkerState.STOPPING);
        assertThat(stops.plannedExit).isEqualTo(WorkerExitCause.POOL_SHUTDOWN);
        assertThat(round.toFlush()).containsExactly(gets, stops);
    }

    @Test
    void aTaskPutBackGoesFirstAndDrainingEndsEveryQueuedTask() {
        Dispatcher dispatcher = new Dispatcher(0);
        TaskGroup call = new TaskGroup("map", -1);
        PoolTask later = task(call);
        PoolTask putBack = task(call);
        dispatcher.add(later);
        dispatcher.addFirst(putBack);

        List<PoolTask> drained = new ArrayList<>(dispatcher.drain());

        assertThat(drained).containsExactly(putBack, later);
        assertThat(drained).allMatch(task -> task.done);
        assertThat(dispatcher.isEmpty()).isTrue();
    }
}
