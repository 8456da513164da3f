package io.streammanager.muxer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One Redis command over a plain socket (RESP), for seeding Redis before a Quarkus app starts. */
final class RawRedis {
    private RawRedis() {
    }

    static String command(int port, String... arguments) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
            for (String argument : arguments) {
                byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                reply.append((char) c);
            }
            if (reply.isEmpty() || reply.charAt(0) == '-') {
                throw new IllegalStateException("redis " + arguments[0] + " failed: " + reply);
            }
            return reply.toString().strip();
        } catch (IOException e) {
            throw new IllegalStateException("redis " + arguments[0] + ": " + e.getMessage(), e);
        }
    }
}
