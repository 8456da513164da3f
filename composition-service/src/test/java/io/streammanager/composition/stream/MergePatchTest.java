package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of RFC 7386, appendix A, plus the shapes our specs use. */
class MergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{'a':'b'}              | {'a':'c'}             | {'a':'c'}",
            "{'a':'b'}              | {'b':'c'}             | {'a':'b','b':'c'}",
            "{'a':'b'}              | {'a':null}            | {}",
            "{'a':'b','b':'c'}      | {'a':null}            | {'b':'c'}",
            "{'a':['b']}            | {'a':'c'}             | {'a':'c'}",
            "{'a':'c'}              | {'a':['b']}           | {'a':['b']}",
            "{'a':{'b':'c'}}        | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}",
            "{'a':[{'b':'c'}]}      | {'a':[1]}             | {'a':[1]}",
            "['a','b']              | ['c','d']             | ['c','d']",
            "{'a':'b'}              | ['c']                 | ['c']",
            "{'a':'foo'}            | null                  | null",
            "{'a':'foo'}            | 'bar'                 | 'bar'",
            "{'e':null}             | {'a':1}               | {'e':null,'a':1}",
            "[1,2]                  | {'a':'b','c':null}    | {'a':'b'}",
            "{}                     | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
            "{'encoder':{'bitrateKbps':2500,'preset':'veryfast'}} | {'encoder':{'bitrateKbps':1200}} | {'encoder':{'bitrateKbps':1200,'preset':'veryfast'}}",
    })
    void rfc7386Examples(String target, String patch, String expected) throws Exception {
        JsonNode targetNode = read(target);
        String before = targetNode.toString();
        assertEquals(read(expected), MergePatch.apply(targetNode, read(patch)));
        assertEquals(before, targetNode.toString(), "the target is left as it was");
    }

    private static JsonNode read(String relaxed) throws Exception {
        return JSON.readTree(relaxed.replace('\'', '"'));
    }
}
