package io.vmclone.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 connection for hostile-client tests: bytes exactly as written (partial bodies, trickled headers,
 * endless chunks), from a chosen loopback address (every 127.x.y.z is this machine), so tests can be several clients.
 */
final class RawHttp implements AutoCloseable {
    final Socket socket;

    /** What came back: the status (-1: the connection was closed without an answer), the headers, the body. */
    record Answer(int status, Map<String, String> headers, String body) {}

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** Connects to the door on {@code port} from {@code localAddress} (e.g. 127.0.1.7). */
    static RawHttp connect(String localAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(30_000);
        return new RawHttp(s);
    }

    /** Request line and headers (CRLF-terminated, the blank line included) of a POST to {@code path}. */
    static String head(String path, String token, String... headers) {
        StringBuilder b = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (token != null) {
            b.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    /** Whether nothing has come back yet and the server has not closed the connection (a stalled request waits). */
    boolean stillWaiting() throws IOException {
        socket.setSoTimeout(1);
        try {
            socket.getInputStream().read(); // a byte (an answer) or the end (closed): either way not waiting any more
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(30_000);
        }
    }

    /** Reads one answer (status line, headers, a Content-Length body); status -1 if the server closed first. */
    Answer read() throws IOException {
        InputStream in = socket.getInputStream();
        String head;
        try {
            head = readHead(in);
        } catch (IOException e) {
            return new Answer(-1, Map.of(), e.toString());
        }
        if (head == null) {
            return new Answer(-1, Map.of(), "");
        }
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True once the server has closed the connection (end of stream or reset) — waits up to the socket timeout. */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            byte[] sofar = b.toByteArray();
            int n = sofar.length;
            if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') {
                return new String(sofar, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
