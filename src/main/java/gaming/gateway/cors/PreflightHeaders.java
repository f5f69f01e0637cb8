package gaming.gateway.cors;

import io.helidon.common.Weighted;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the {@code Access-Control-Request-Headers} of a CORS preflight against the allowed
 * headers of the policy of its path, before Helidon's CORS filter (which is then told to allow any
 * header). Helidon 4.5's own check splits that header only at {@code ", "}, while browsers send
 * it as {@code content-type,x-trace-id} (Fetch standard, 4.8 "CORS-preflight fetch": values
 * joined by {@code ,} alone), so a browser's preflight with two or more headers would be refused.
 * A request header the policy does not allow gets 403 with no CORS headers, as Helidon answers.
 * Runs on {@code OPTIONS} requests only.
 */
final class PreflightHeaders implements HttpFeature, Filter, Weighted {
    private final List<Scope> scopes;

    private record Scope(PathMatcher path, Set<String> allowed) {
    }

    /** @param policies path pattern to policy, in the order Helidon's CORS filter matches them */
    PreflightHeaders(Map<String, CorsPolicy> policies) {
        List<Scope> scopes = new ArrayList<>();
        policies.forEach((path, policy) -> scopes.add(new Scope(
                PathMatchers.create(path),
                policy.allowHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()))));
        this.scopes = List.copyOf(scopes);
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.addFilter(this);
    }

    @Override
    public double weight() {
        // before Helidon's CORS filter (850)
        return 900;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.prologue().method() == Method.OPTIONS && !allowed(req)) {
            res.status(Status.FORBIDDEN_403).send();
            return;
        }
        chain.proceed();
    }

    private boolean allowed(RoutingRequest req) {
        var requested = req.headers().find(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (requested.isEmpty() || !req.headers().contains(HeaderNames.ORIGIN)) {
            return true;
        }
        for (Scope scope : scopes) {
            if (scope.path().match(req.path()).accepted()) {
                for (String value : requested.get().allValues()) {
                    for (String name : value.split(",")) {
                        String header = name.strip().toLowerCase(Locale.ROOT);
                        if (!header.isEmpty() && !scope.allowed().contains(header)) {
                            return false;
                        }
                    }
                }
                return true;
            }
        }
        return true;
    }
}
