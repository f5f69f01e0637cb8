package gaming.gateway.http;

import gaming.gateway.observe.RouteMetrics;

import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;

import java.util.ArrayList;
import java.util.List;

/**
 * The meters of a request that is turned away before routing has picked its route (by
 * {@link Admission}): those of the route whose path pattern matches, else those of
 * {@code route="none"}. Looked up only for a refused request, never on the way in.
 */
public final class PathMeters {
    private record Entry(PathMatcher matcher, RouteMetrics metrics) {
    }

    private final List<Entry> routes = new ArrayList<>();
    private final RouteMetrics none;

    /** @param none the meters of requests that match no route */
    public PathMeters(RouteMetrics none) {
        this.none = none;
    }

    /**
     * Adds a route; call before the server starts.
     *
     * @param pathPattern the route's Helidon path pattern, e.g. {@code /models/{model_id}}
     */
    public PathMeters add(String pathPattern, RouteMetrics metrics) {
        routes.add(new Entry(PathMatchers.create(pathPattern), metrics));
        return this;
    }

    /** The meters of the first route matching {@code path}, else those of {@code route="none"}. */
    public RouteMetrics of(UriPath path) {
        for (Entry route : routes) {
            if (route.matcher().match(path).accepted()) {
                return route.metrics();
            }
        }
        return none;
    }
}
