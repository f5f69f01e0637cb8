package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import ai.llm.v1.CancelResponse;
import ai.llm.v1.InferResponse;
import ai.model.v1.GetModelResponse;
import ai.model.v1.ListModelsResponse;
import ai.model.v1.SelectModelResponse;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import common.v1.Error;
import common.v1.Meta;
import gaming.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.service.Discovery;
import io.nats.service.PingResponse;
import io.nats.service.StatsResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import npc.behavior.v1.PlanBehaviorResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import quest.v1.GenerateQuestResponse;
import state.manager.v1.GetStateResponse;
import state.manager.v1.UpdateStateResponse;

/** What every service does: discovery, bad bytes, trace ids, load sharing. */
class ServiceBasicsIT extends WithServices {
    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("svc.ai.llm.v1.infer", InferResponse.parser()),
                Arguments.of("svc.ai.llm.v1.cancel", CancelResponse.parser()),
                Arguments.of("svc.ai.model.v1.list", ListModelsResponse.parser()),
                Arguments.of("svc.ai.model.v1.get", GetModelResponse.parser()),
                Arguments.of("svc.ai.model.v1.select", SelectModelResponse.parser()),
                Arguments.of("svc.state.manager.v1.update", UpdateStateResponse.parser()),
                Arguments.of("svc.state.manager.v1.get", GetStateResponse.parser()),
                Arguments.of("svc.quest.v1.generate", GenerateQuestResponse.parser()),
                Arguments.of("svc.npc.behavior.v1.plan", PlanBehaviorResponse.parser()));
    }

    @Test
    void everyServiceAnswersSrvPing() {
        List<PingResponse> pings = new Discovery(fx.client, 1000, 10).ping();
        assertThat(pings.stream().map(PingResponse::getName).toList(),
                containsInAnyOrder("llm", "models", "state-manager", "quest", "npc-behavior"));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void garbageBytesGetAnInvalidArgumentReply(String subject, Parser<? extends Message> parser)
            throws InvalidProtocolBufferException {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
        Error error = error(parser.parseFrom(fx.callRaw(subject, garbage)));
        assertThat(error.getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(error.getMessage().isEmpty(), is(false));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void everyReplyEchoesTheTraceIdEvenForAnEmptyRequest(String subject, Parser<? extends Message> parser)
            throws InvalidProtocolBufferException {
        Meta meta = Meta.newBuilder().setTraceId("trace-" + subject).setRequestId("req-1").build();
        // An otherwise empty request: field 1 is meta in every request message.
        byte[] request = ai.model.v1.ListModelsRequest.newBuilder().setMeta(meta).build().toByteArray();
        Message reply = parser.parseFrom(fx.callRaw(subject, request));
        Meta replyMeta = (Meta) reply.getField(reply.getDescriptorForType().findFieldByName("meta"));
        assertThat(replyMeta.getTraceId(), is("trace-" + subject));
        assertThat(replyMeta.getRequestId(), is("req-1"));
    }

    @Test
    void instancesInTheQueueGroupShareTheLoad() throws Exception {
        try (Connection second = Nats.connect(fx.nats.url());
             ReferenceServices more = ReferenceServices.start(second, Duration.ZERO)) {
            for (int i = 0; i < 40; i++) {
                fx.callRaw("svc.quest.v1.generate", new byte[0]);
            }
            List<StatsResponse> stats = new Discovery(fx.client, 1000, 10).stats("quest");
            assertThat(stats.size(), is(2));
            for (StatsResponse instance : stats) {
                assertThat(instance.getEndpointStatsList().getFirst().getNumRequests(), greaterThan(0L));
            }
            assertThat(more.names().size(), is(5));
        }
    }

    @Test
    void aRequestSentRightAfterStartFindsAResponder() throws Exception {
        // A server of its own: the class's services would otherwise answer in their place.
        try (NatsServer nats = NatsServer.start();
             Connection client = Nats.connect(nats.url())) {
            for (int round = 0; round < 50; round++) {
                try (Connection conn = Nats.connect(nats.url());
                     ReferenceServices services = ReferenceServices.start(conn, Duration.ZERO)) {
                    // The last service started: its subscriptions are the likeliest to be still in flight.
                    io.nats.client.Message reply = client.request("svc.npc.behavior.v1.plan", new byte[0],
                            ServicesFixture.TIMEOUT);
                    assertThat("reply in round " + round, reply != null && !reply.isStatusMessage(), is(true));
                }
            }
        }
    }

    private static Error error(Message reply) {
        return (Error) reply.getField(reply.getDescriptorForType().findFieldByName("error"));
    }
}
