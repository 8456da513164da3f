package io.streammanager.bus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.Transition;
import org.junit.jupiter.api.Test;

/** The spec's JSON form keeps what the records carry (records with more than one constructor included). */
class StreamSpecJsonTest {

    @Test
    void everyLayerKindKeepsItsOwnTransition() {
        String json = """
                {"id":"s1","name":"demo","video":{"width":1280,"height":720,"fps":30},"scene":{"layers":[
                 {"type":"background","id":"bg","color":"#000000","transition":{"type":"fade","durationMs":100}},
                 {"type":"shape","id":"box","shape":"rectangle","color":"#ff0000","width":10,"height":10,
                  "speedX":0,"speedY":0,"transition":{"type":"cut"}},
                 {"type":"text","id":"t","text":"hi","x":0,"y":0,"size":20,"color":"#ffffff",
                  "transition":{"type":"fade","durationMs":300,"easing":"ease-in-out"}},
                 {"type":"image","id":"logo","source":"asset:a","x":0,"y":0,"transition":{"type":"move","durationMs":400}},
                 {"type":"video","id":"cam","source":"asset:b","x":0,"y":0,"transition":{"type":"move","durationMs":500}}
                ]},"version":1,"createdAtMs":0}""";
        StreamSpec spec = StreamSpecJson.read(json);
        Transition[] expected = {new Transition("fade", 100, null), new Transition("cut", null, null),
                new Transition("fade", 300, "ease-in-out"), new Transition("move", 400, null),
                new Transition("move", 500, null)};
        for (int i = 0; i < expected.length; i++) {
            Layer layer = spec.scene().layers().get(i);
            assertEquals(expected[i], layer.transition(), layer.id());
        }
        assertEquals(spec, StreamSpecJson.read(StreamSpecJson.write(spec)), "written and read back unchanged");
        assertEquals(null, spec.scene().layers().get(0).withId("other").transition() == null ? "lost" : null,
                "withId keeps the transition");
    }
}
