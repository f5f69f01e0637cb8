package gaming.testing;

import gaming.gateway.Gateway;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The set-up of a gateway integration test class: a real nats-server, a connection for the test's
 * services, and a gateway on a free loopback port connected to it (returned once connected, see
 * {@link TestGateway}). Registered once per class:
 * {@code @RegisterExtension static final GatewayFixture fx = GatewayFixture.of(Map.of(...));}.
 */
public final class GatewayFixture implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private final Path yaml;
    private final List<Gateway> others = new ArrayList<>();
    private NatsServer nats;
    private Connection service;
    private Gateway gateway;
    private Http http;

    private GatewayFixture(Map<String, String> overrides, Path yaml) {
        this.overrides = overrides;
        this.yaml = yaml;
    }

    /** A gateway with the repo's {@code application.yaml} and these config overrides. */
    public static GatewayFixture of(Map<String, String> overrides) {
        return new GatewayFixture(overrides, Path.of("application.yaml"));
    }

    /** A gateway with the route table of {@code yaml} and these config overrides. */
    public static GatewayFixture of(Map<String, String> overrides, Path yaml) {
        return new GatewayFixture(overrides, yaml);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        nats = NatsServer.start();
        service = Nats.connect(nats.url());
        gateway = TestGateway.start(nats.url(), overrides, yaml);
        http = new Http(gateway.port());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (Gateway other : others) {
            other.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (service != null) {
            service.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    /** Another gateway on the same nats-server, closed with this fixture. */
    public Gateway another(Map<String, String> overrides, Path yaml) {
        Gateway other = TestGateway.start(nats.url(), overrides, yaml);
        others.add(other);
        return other;
    }

    /** The nats-server. */
    public NatsServer nats() {
        return nats;
    }

    /** A connection of the test's own, for its services. */
    public Connection service() {
        return service;
    }

    /** The gateway. */
    public Gateway gateway() {
        return gateway;
    }

    /** An HTTP client of the gateway. */
    public Http http() {
        return http;
    }
}
