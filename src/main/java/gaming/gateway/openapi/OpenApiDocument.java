package gaming.gateway.openapi;

import common.v1.Error;
import gaming.gateway.error.ErrorCode;
import gaming.gateway.error.Problem;
import gaming.gateway.identity.IdentityMode;
import gaming.gateway.route.Route;
import gaming.gateway.route.RouteTable;
import gaming.gateway.route.StreamSpec;
import gaming.gateway.transcode.MetaHeaders;
import gaming.gateway.transcode.PathParams;
import gaming.gateway.transcode.TraceContext;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the OpenAPI 3.1 document of a route table: one {@code POST} operation per route, named by
 * the route, with its path parameters, the Meta headers as header parameters, the request's JSON
 * Schema, the reply's as the 200 response ({@code text/event-stream} of chunks too for a streaming
 * route), and every error status the route can answer as {@code application/problem+json}
 * (RFC 9457) with the codes behind it.
 */
final class OpenApiDocument {
    /** Component name of the problem+json schema. */
    static final String PROBLEM = "Problem";
    private static final String BEARER = "bearer";
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";

    private OpenApiDocument() {
    }

    /**
     * The document of {@code table}.
     *
     * @param identity where the gateway takes the caller's identity from: in {@code jwt} mode the
     *                 operations need a Bearer token and {@code X-User-ID}/{@code X-Tenant-ID} are
     *                 not parameters; in {@code strip} mode neither are they
     * @param version  the gateway's version, for {@code info.version}
     */
    static OpenAPI create(RouteTable table, IdentityMode identity, String version) {
        ProtoSchemas schemas = new ProtoSchemas(ProtoComments.load(table.descriptorSets().files()));
        Paths paths = new Paths();
        for (Route route : table.routes()) {
            paths.addPathItem(route.path(), new PathItem().post(operation(route, schemas, identity)));
        }
        Components components = new Components();
        components.addSchemas(PROBLEM, problemSchema());
        schemas.components().forEach(components::addSchemas);
        OpenAPI api = new OpenAPI(SpecVersion.V31)
                .openapi("3.1.0")
                .info(new Info()
                              .title("http-nats-gateway")
                              .version(version)
                              .description("HTTP/JSON in, Protobuf over NATS request/reply, JSON out. Every route is a"
                                           + " POST of a JSON body (proto3 JSON mapping); streaming routes answer"
                                           + " Server-Sent Events when asked with Accept: text/event-stream or their"
                                           + " stream flag. Errors are application/problem+json (RFC 9457)."))
                .paths(paths)
                .components(components);
        if (identity == IdentityMode.JWT) {
            components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("JWT"));
            api.addSecurityItem(new SecurityRequirement().addList(BEARER));
        }
        return api;
    }

    private static Operation operation(Route route, ProtoSchemas schemas, IdentityMode identity) {
        Operation op = new Operation()
                .operationId(route.name())
                .addTagsItem(route.request().getDescriptorForType().getFile().getPackage())
                .summary(route.name() + ": NATS " + route.subject())
                .description("Sends a " + route.request().getDescriptorForType().getFullName() + " to NATS subject "
                             + route.subject() + " and answers its " + route.reply().getDescriptorForType().getFullName()
                             + " (timeout " + route.timeout().toMillis() + " ms)."
                             + route.stream().map(s -> " Streams " + s.chunk().getDescriptorForType().getFullName()
                                     + " chunks as Server-Sent Events with Accept: text/event-stream"
                                     + (s.flag().isEmpty() ? "" : " or " + flagName(s) + " = true") + ".").orElse(""));
        for (Map.Entry<String, FieldDescriptor> param : new TreeMap<>(route.pathParams()).entrySet()) {
            op.addParametersItem(new Parameter().in("path").name(param.getKey()).required(true)
                    .description("Fills request field " + param.getValue().getName() + ". Letters, digits and . _ ~ : @ -")
                    .schema(new JsonSchema().types(Set.of("string")).minLength(1).maxLength(PathParams.MAX_LENGTH)
                                    .pattern("^[A-Za-z0-9._~:@-]+$")));
        }
        metaHeaders(identity).forEach(op::addParametersItem);
        op.requestBody(new RequestBody()
                .description("The request message in proto3 JSON; an empty body is an empty message. Its meta field"
                             + " is set by the gateway from the headers.")
                .content(new Content().addMediaType(JSON, new MediaType().schema(schemas.ref(route.request()
                        .getDescriptorForType())))));
        ApiResponses responses = new ApiResponses();
        Content ok = new Content().addMediaType(JSON, new MediaType().schema(schemas.ref(route.reply()
                .getDescriptorForType())));
        route.stream().ifPresent(stream -> ok.addMediaType(EVENT_STREAM, new MediaType()
                .schema(schemas.ref(stream.chunk().getDescriptorForType()))));
        responses.addApiResponse("200", new ApiResponse()
                .description(route.stream().isPresent()
                                     ? "The reply as JSON; or, when a stream is asked for, Server-Sent Events whose"
                                       + " data is one chunk each (id = the chunk's index) until is_final, or an"
                                       + " 'error' event with a problem+json"
                                     : "The reply")
                .headers(responseHeaders())
                .content(ok));
        errorStatuses(route, identity).forEach((status, codes) -> responses.addApiResponse(
                String.valueOf(status), new ApiResponse()
                        .description("Problem (RFC 9457) with code " + String.join(", ", codes))
                        .headers(responseHeaders())
                        .content(new Content().addMediaType(Problem.MEDIA_TYPE, new MediaType()
                                .schema(new JsonSchema().$ref(ProtoSchemas.REF_PREFIX + PROBLEM))))));
        op.responses(responses);
        return op;
    }

    private static String flagName(StreamSpec stream) {
        return String.join(".", stream.flag().stream().map(FieldDescriptor::getName).toList());
    }

    /** Every status the route can answer besides 200, with the codes that lead to it. */
    static Map<Integer, Set<String>> errorStatuses(Route route, IdentityMode identity) {
        Map<Integer, Set<String>> statuses = new TreeMap<>();
        add(statuses, ErrorCode.INVALID_ARGUMENT);
        if (identity == IdentityMode.JWT) {
            add(statuses, ErrorCode.UNAUTHENTICATED);
        }
        add(statuses, ErrorCode.PERMISSION_DENIED);
        add(statuses, ErrorCode.PAYLOAD_TOO_LARGE);
        add(statuses, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        add(statuses, ErrorCode.INTERNAL);
        add(statuses, ErrorCode.BAD_REPLY);
        add(statuses, ErrorCode.NATS_UNAVAILABLE);
        add(statuses, ErrorCode.NO_RESPONDERS);
        add(statuses, ErrorCode.OVERLOADED);
        add(statuses, ErrorCode.UNAVAILABLE);
        add(statuses, ErrorCode.TIMEOUT);
        if (route.stream().isPresent()) {
            add(statuses, ErrorCode.RESOURCE_EXHAUSTED);
        }
        for (Error.Code code : Error.Code.values()) {
            if (code != Error.Code.UNSPECIFIED && code != Error.Code.UNRECOGNIZED) {
                add(statuses, route.statusTable().status(code), code.name());
            }
        }
        return statuses;
    }

    /** {@code code} under the one status {@link ErrorCode} gives it. */
    private static void add(Map<Integer, Set<String>> statuses, ErrorCode code) {
        add(statuses, code.status(), code.name());
    }

    private static void add(Map<Integer, Set<String>> statuses, int status, String code) {
        statuses.computeIfAbsent(status, s -> new TreeSet<>()).add(code);
    }

    private static List<Parameter> metaHeaders(IdentityMode identity) {
        List<Parameter> headers = new ArrayList<>();
        headers.add(header(TraceContext.X_TRACE_ID.defaultCase(), "Meta.trace_id, 1 to "
                + TraceContext.MAX_TRACE_ID_LENGTH + " printable ASCII characters; else taken from traceparent, else"
                + " generated. Echoed in the response."));
        headers.add(header(TraceContext.TRACEPARENT.defaultCase(), "W3C Trace Context traceparent"
                + " (00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>); forwarded to NATS with a new parent id."));
        if (identity == IdentityMode.TRUST_HEADERS) {
            headers.add(header(MetaHeaders.X_USER_ID.defaultCase(), "Meta.user_id (identity mode trust-headers)."));
            headers.add(header(MetaHeaders.X_TENANT_ID.defaultCase(), "Meta.tenant_id (identity mode trust-headers)."));
        }
        headers.add(header(MetaHeaders.X_CLIENT_ID.defaultCase(), "Meta.client_id."));
        headers.add(header(MetaHeaders.IDEMPOTENCY_KEY.defaultCase(), "Meta.idempotency_key; must equal the body's"
                + " idempotency_key where the request has one."));
        headers.add(new Parameter().in("header").name("X-Custom-*").required(false)
                .description("Any header X-Custom-<Name> becomes Meta.labels[<name>] (name lower-cased), at most "
                             + MetaHeaders.MAX_LABELS + " labels of at most " + MetaHeaders.MAX_LABEL_VALUE_BYTES
                             + " printable ASCII characters.")
                .schema(new JsonSchema().types(Set.of("string")).maxLength(MetaHeaders.MAX_LABEL_VALUE_BYTES)));
        return headers;
    }

    private static Parameter header(String name, String description) {
        return new Parameter().in("header").name(name).required(false).description(description)
                .schema(new JsonSchema().types(Set.of("string")).maxLength(MetaHeaders.MAX_ID_LENGTH));
    }

    private static Map<String, Header> responseHeaders() {
        Map<String, Header> headers = new LinkedHashMap<>();
        headers.put(TraceContext.X_TRACE_ID.defaultCase(), new Header().description("The request's trace id")
                .schema(new JsonSchema().types(Set.of("string"))));
        headers.put(TraceContext.TRACEPARENT.defaultCase(), new Header().description("W3C traceparent of the request")
                .schema(new JsonSchema().types(Set.of("string"))));
        return headers;
    }

    /** problem+json as the gateway writes it ({@link Problem#body}). */
    private static Schema problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new JsonSchema().types(Set.of("string")).format("uri")
                .description("urn:http-nats-gateway:error:<code in lower case with dashes>"));
        properties.put("title", new JsonSchema().types(Set.of("string")));
        properties.put("status", new JsonSchema().types(Set.of("integer")).format("int32"));
        properties.put("detail", new JsonSchema().types(Set.of("string")));
        properties.put("code", new JsonSchema().types(Set.of("string"))
                .description("common.v1.Error.Code name or the gateway's own code (BAD_REPLY, TIMEOUT, ...)"));
        properties.put("trace_id", new JsonSchema().types(Set.of("string")));
        properties.put("details", new JsonSchema().types(Set.of("object"))
                .additionalProperties(new JsonSchema().types(Set.of("string")))
                .description("machine-readable context from the service's error.details"));
        return new JsonSchema().types(Set.of("object")).title("Problem")
                .description("Problem Details for HTTP APIs (RFC 9457)")
                .required(List.of("type", "title", "status", "detail", "code", "trace_id"))
                .properties(properties);
    }
}
