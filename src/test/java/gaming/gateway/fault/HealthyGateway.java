package gaming.gateway.fault;

import gaming.gateway.Gateway;
import gaming.testing.Http;
import gaming.testing.NatsServer;

import io.nats.client.Connection;

import java.util.Map;

/**
 * A gateway (route timeout 2 s; returned connected, see {@code TestGateway}) in front of {@link NineServices} on its own {@code nats-server}:
 * the fixture of the hostile-input tests. {@link #services()} counts what reached NATS;
 * {@link #resetServices()} starts that count again.
 */
final class HealthyGateway implements AutoCloseable {
    private final NatsServer nats;
    private final Connection serviceConnection;
    private final Gateway gateway;
    private final Http http;
    private NineServices services;

    private HealthyGateway(NatsServer nats, Connection serviceConnection) {
        this.nats = nats;
        this.serviceConnection = serviceConnection;
        this.services = new NineServices(serviceConnection);
        this.gateway = FaultKit.gateway(nats.url(), Map.of("gateway.nats.timeout-seconds", "2"));
        this.http = new Http(gateway.port());
    }

    static HealthyGateway start() throws Exception {
        NatsServer nats = NatsServer.start();
        try {
            return new HealthyGateway(nats, FaultKit.service(nats.url()));
        } catch (Exception | Error e) {
            nats.close();
            throw e;
        }
    }

    Gateway gateway() {
        return gateway;
    }

    Http http() {
        return http;
    }

    NineServices services() {
        return services;
    }

    /** New services, so that {@link NineServices#received()} counts from 0. */
    void resetServices() {
        services.close();
        services = new NineServices(serviceConnection);
    }

    @Override
    public void close() throws Exception {
        try {
            gateway.close();
            services.close();
            serviceConnection.close();
        } finally {
            nats.close();
        }
    }
}
