package io.streammanager.gateway.rtmp.session;

import io.netty.buffer.ByteBuf;
import io.streammanager.gateway.rtmp.amf0.Amf0Reader;
import io.streammanager.gateway.rtmp.amf0.Amf0Writer;
import io.streammanager.gateway.rtmp.message.MessageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An AMF0 command message (7.1.1): name, transaction id, command object, then optional arguments.
 */
public record CommandMessage(String name, double transactionId, Object commandObject, List<Object> arguments) {

    public CommandMessage {
        arguments = java.util.Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    public static CommandMessage decode(ByteBuf payload, Amf0Reader reader) {
        List<Object> values = reader.readAll(payload);
        if (values.size() < 2 || !(values.get(0) instanceof String name) || !(values.get(1) instanceof Double txId)) {
            throw new MessageException("command needs a name and a transaction id, got " + describe(values));
        }
        Object commandObject = values.size() > 2 ? values.get(2) : null;
        return new CommandMessage(name, txId, commandObject, values.size() > 3 ? values.subList(3, values.size()) : List.of());
    }

    public void encode(ByteBuf out) {
        Amf0Writer.writeAll(out, name, transactionId, commandObject);
        arguments.forEach(argument -> Amf0Writer.write(out, argument));
    }

    /** The command object's string property, or null. */
    public String property(String key) {
        return commandObject instanceof Map<?, ?> map && map.get(key) instanceof String value ? value : null;
    }

    public String stringArgument(int index) {
        return index < arguments.size() && arguments.get(index) instanceof String value ? value : null;
    }

    private static String describe(List<Object> values) {
        return values.size() + " values" + (values.isEmpty() ? "" : " starting with "
                + (values.get(0) == null ? "null" : values.get(0).getClass().getSimpleName()));
    }
}
