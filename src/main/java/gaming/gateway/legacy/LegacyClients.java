package gaming.gateway.legacy;

import gaming.gateway.error.GatewayException;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Helidon {@link WebClient} per legacy base URL, each with its own connection pool (not shared
 * with the others) and connect timeout; the read timeout is the route's legacy timeout. Made once
 * at start-up; thread-safe.
 */
public final class LegacyClients {
    /**
     * Hop-by-hop headers (RFC 9110 section 7.6.1) and the ones the HTTP layer of each side sets
     * itself: never forwarded in either direction.
     */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    private final Duration connectTimeout;
    private final int poolSize;
    private final Map<String, WebClient> clients = new ConcurrentHashMap<>();

    private LegacyClients(Duration connectTimeout, int poolSize) {
        this.connectTimeout = connectTimeout;
        this.poolSize = poolSize;
    }

    /**
     * @param connectTimeout how long opening a connection to a legacy service may take
     * @param poolSize       idle connections kept per legacy base URL
     */
    public static LegacyClients create(Duration connectTimeout, int poolSize) {
        return new LegacyClients(connectTimeout, poolSize);
    }

    /** Whether a header of this name passes the gateway in either direction (not hop-by-hop, not framing). */
    public static boolean forwarded(String name) {
        return !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The end-to-end headers of {@code headers} (every value of each), hop-by-hop and framing ones left
     * out: the fixed set and every header the message's {@code Connection} names (RFC 9110 section 7.6.1:
     * a proxy removes those before forwarding).
     */
    public static List<LegacyAnswer.Header> endToEnd(Headers headers) {
        Set<String> named = new HashSet<>();
        for (String value : headers.values(HeaderNames.CONNECTION)) {
            for (String option : value.split(",")) {
                named.add(option.strip().toLowerCase(Locale.ROOT));
            }
        }
        List<LegacyAnswer.Header> out = new ArrayList<>();
        for (Header h : headers) {
            if (forwarded(h.name()) && !named.contains(h.name().toLowerCase(Locale.ROOT))) {
                for (String v : h.allValues()) {
                    out.add(new LegacyAnswer.Header(h.name(), v));
                }
            }
        }
        return out;
    }

    /**
     * Sends one request to the legacy service of {@code spec} and reads its whole answer.
     *
     * @param method          the HTTP method, e.g. {@code POST}
     * @param rawPathAndQuery the request target as the client sent it, e.g. {@code /quest/generate?x=1}
     * @param headers         the headers to send (already without hop-by-hop ones)
     * @param body            the request body, empty for none
     * @param maxBody         the most bytes of the answer's body read; a longer body is cut there
     * @return the answer, whatever its status
     * @throws GatewayException 504 {@code LEGACY_TIMEOUT} when no answer came within the spec's
     *                          timeout, 502 {@code LEGACY_UNAVAILABLE} when the service could not be
     *                          reached or broke off
     */
    public LegacyAnswer call(LegacySpec spec, String method, String rawPathAndQuery, List<LegacyAnswer.Header> headers,
                             byte[] body, int maxBody) {
        try (HttpClientResponse response = send(spec, method, rawPathAndQuery, headers, body);
             InputStream in = response.inputStream()) {
            return answer(response, in.readNBytes(maxBody));
        } catch (GatewayException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a body cut short is one of Helidon's unchecked exceptions, not an IOException
            throw failure(spec, e);
        }
    }

    /**
     * Sends one request and returns as soon as the status and headers are in, the body still to be
     * read from {@link Streamed#body()} as it arrives (an event stream); closing it ends the call.
     *
     * @throws GatewayException as {@link #call}
     */
    public Streamed open(LegacySpec spec, String method, String rawPathAndQuery, List<LegacyAnswer.Header> headers,
                         byte[] body) {
        HttpClientResponse response = send(spec, method, rawPathAndQuery, headers, body);
        return new Streamed(answer(response, new byte[0]), response);
    }

    /** An answer whose body is read as it arrives. */
    public record Streamed(LegacyAnswer head, HttpClientResponse response) implements AutoCloseable {
        /** The body as it arrives. */
        public InputStream body() {
            return response.inputStream();
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** The exception for a failed call: a timeout anywhere in the chain is 504, anything else 502. */
    public static GatewayException failure(LegacySpec spec, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return GatewayException.legacyTimeout(spec.safeUrl(), spec.timeout().toMillis());
            }
        }
        return GatewayException.legacyUnavailable(spec.safeUrl(), e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private HttpClientResponse send(LegacySpec spec, String method, String rawPathAndQuery,
                                    List<LegacyAnswer.Header> headers, byte[] body) {
        WebClient client = clients.computeIfAbsent(spec.url().getScheme() + "://" + spec.url().getRawAuthority(),
                                                   k -> WebClient.builder()
                                                           .connectTimeout(connectTimeout)
                                                           .shareConnectionCache(false)
                                                           .connectionCacheSize(poolSize)
                                                           .followRedirects(false)
                                                           .servicesDiscoverServices(false)
                                                           .build());
        HttpClientResponse response;
        try {
            HttpClientRequest request = client.method(Method.create(method))
                    .uri(spec.url().toString() + rawPathAndQuery)
                    .skipUriEncoding(true)
                    .readTimeout(spec.timeout());
            request.headers(h -> {
                for (LegacyAnswer.Header header : headers) {
                    h.add(io.helidon.http.HeaderValues.create(header.name(), header.value()));
                }
            });
            response = body.length == 0 ? request.request() : request.submit(body);
        } catch (RuntimeException e) {
            throw failure(spec, e);
        }
        int status = response.status().code();
        if (status < 200 || status > 599) {
            // RFC 9110 section 15: statuses are 100..599, and a final answer is not 1xx
            response.close();
            throw GatewayException.legacyUnavailable(spec.safeUrl(), "answered with status " + status);
        }
        return response;
    }

    private static LegacyAnswer answer(HttpClientResponse response, byte[] body) {
        List<LegacyAnswer.Header> headers = endToEnd(response.headers());
        String contentType = response.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        return new LegacyAnswer(response.status().code(), List.copyOf(headers), contentType, body);
    }
}
