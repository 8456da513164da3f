package io.streammanager.bus.control;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.streammanager.bus.control.spec.StreamSpec;

/** A hand-written {@link CommandHandler} that records every call in order and answers as the test tells it to. */
class RecordingHandler implements CommandHandler {

    /** What the handler does with one command: return what changed, or throw. */
    interface Behaviour {
        List<String> handle(Command command) throws Exception;
    }

    /** What the handler does while resuming, after recording the call. */
    interface ResumeHook {
        void resumed(List<StreamSpec> stored) throws Exception;
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Command> handled = new CopyOnWriteArrayList<>();
    private final Behaviour behaviour;
    private final ResumeHook resumeHook;

    RecordingHandler(Behaviour behaviour, ResumeHook resumeHook) {
        this.behaviour = behaviour;
        this.resumeHook = resumeHook;
    }

    static RecordingHandler answering(List<String> changed) {
        return new RecordingHandler(command -> changed, stored -> { });
    }

    @Override
    public void resume(List<StreamSpec> stored) throws Exception {
        calls.add("resume " + stored.stream().map(StreamSpec::id).toList());
        resumeHook.resumed(stored);
    }

    @Override
    public List<String> handle(Command command) throws Exception {
        calls.add("handle " + CommandCodec.type(command) + " " + command.streamId());
        handled.add(command);
        return behaviour.handle(command);
    }

    long handledCount(String streamId) {
        return handled.stream().filter(c -> c.streamId().equals(streamId)).count();
    }
}
