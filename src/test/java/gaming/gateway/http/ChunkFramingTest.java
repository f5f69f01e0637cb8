package gaming.gateway.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunkFramingTest {
    private static final String POST = "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

    @Test
    void chunkExtensionsAndTrailersAreDroppedAndTheRestPasses() {
        assertEquals(POST + "2\r\n{}\r\n0\r\n\r\n", rewriteWhole(POST + "2;ext=1\r\n{}\r\n0\r\n\r\n"));
        assertEquals(POST + "2\r\n{}\r\n0\r\n\r\n", rewriteWhole(POST + "2 ; a=\"x;y\" ;b\r\n{}\r\n0;last\r\n\r\n"));
        assertEquals(POST + "2\r\n{}\r\n0\r\n\r\n", rewriteWhole(POST + "2\r\n{}\r\n0\r\nX-Checksum: 1\r\nX-B: 2\r\n\r\n"));
        // chunk data that looks like an extension or a trailer is data
        assertEquals(POST + "5\r\n1;x\r\n\r\n0\r\n\r\n", rewriteWhole(POST + "5\r\n1;x\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void pipelinedRequestsAreFollowedWhateverTheirFraming() {
        String fixed = "POST /b HTTP/1.1\r\nContent-Length: 9\r\n\r\n2;x=1\r\n{}";
        String bare = "GET /c HTTP/1.1\r\nHost: x\r\n\r\n";
        String in = POST + "2;e\r\n{}\r\n0\r\nT: 1\r\n\r\n" + fixed + bare + POST + "1;e\r\nx\r\n0\r\n\r\n";
        String out = POST + "2\r\n{}\r\n0\r\n\r\n" + fixed + bare + POST + "1\r\nx\r\n0\r\n\r\n";
        assertEquals(out, rewriteWhole(in));
        assertEquals(out, rewriteByteByByte(in));
    }

    @Test
    void http10IsHandedOnAsHttp11WithConnectionClose() {
        assertEquals("GET /health HTTP/1.1\r\nConnection: close\r\nGateway-Request-Version: HTTP/1.0\r\n"
                             + "Host: localhost\r\n\r\n",
                     rewriteWhole("GET /health HTTP/1.0\r\n\r\n"));
        String in = "POST /a HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /b HTTP/1.1\r\nHost: h\r\ngateway-request-version: HTTP/1.0\r\nX: y\r\n\r\n";
        String out = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n"
                + "Gateway-Request-Version: HTTP/1.0\r\n\r\n{}"
                + "GET /b HTTP/1.1\r\nHost: h\r\nX: y\r\n\r\n";
        assertEquals(out, rewriteWhole(in));
        assertEquals(out, rewriteByteByByte(in));
    }

    @Test
    void whatCannotBeFollowedPassesUnchangedFromThereOn() {
        String badSize = POST + "zz;e\r\n{}\r\n0;e\r\n\r\n";
        assertEquals(badSize, rewriteWhole(badSize));
        String badLength = "POST /a HTTP/1.1\r\nContent-Length: x\r\n\r\n" + POST + "2;e\r\n{}\r\n0\r\n\r\n";
        assertEquals(badLength, rewriteWhole(badLength));
        String longLine = POST + "2;" + "e".repeat(ChunkFraming.MAX_LINE_BYTES) + "\r\n{}\r\n0;e\r\n\r\n";
        assertEquals(longLine, rewriteWhole(longLine));
    }

    private static String rewriteWhole(String in) {
        return new String(new ChunkFraming().rewrite(in.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    private static String rewriteByteByByte(String in) {
        ChunkFraming framing = new ChunkFraming();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : in.getBytes(StandardCharsets.ISO_8859_1)) {
            out.writeBytes(framing.rewrite(new byte[] {b}));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
