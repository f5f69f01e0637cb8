package gaming.services;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import common.v1.Meta;
import gaming.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;

/** A real nats-server with the reference services running on it, and a client connection. */
final class ServicesFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final NatsServer nats;
    final Connection client;
    private final Connection servicesConn;
    private final ReferenceServices services;

    private ServicesFixture(NatsServer nats, Connection servicesConn, ReferenceServices services, Connection client) {
        this.nats = nats;
        this.servicesConn = servicesConn;
        this.services = services;
        this.client = client;
    }

    static ServicesFixture start(Duration tokenDelay) throws Exception {
        NatsServer nats = NatsServer.start(new String[0]);
        Connection servicesConn = Nats.connect(nats.url());
        ReferenceServices services = ReferenceServices.start(servicesConn, tokenDelay);
        return new ServicesFixture(nats, servicesConn, services, Nats.connect(nats.url()));
    }

    /** Sends the request and parses the reply; fails the test if no reply comes. */
    <R extends Message> R call(String subject, Message request, Parser<R> replyParser) {
        try {
            return replyParser.parseFrom(callRaw(subject, request.toByteArray()));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("reply on " + subject + " is not a valid reply message", e);
        }
    }

    byte[] callRaw(String subject, byte[] payload) {
        try {
            io.nats.client.Message reply = client.request(subject, payload, TIMEOUT);
            if (reply == null) {
                throw new AssertionError("no reply on " + subject + " within " + TIMEOUT);
            }
            return reply.getData();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Meta meta(String traceId, String tenant, String user) {
        return Meta.newBuilder().setTraceId(traceId).setTenantId(tenant).setUserId(user).build();
    }

    @Override
    public void close() throws Exception {
        services.close();
        client.close();
        servicesConn.close();
        nats.close();
    }
}
