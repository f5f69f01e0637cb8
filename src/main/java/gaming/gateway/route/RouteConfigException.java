package gaming.gateway.route;

/** The route table in the configuration is wrong; the message names the route. Start-up fails. */
public final class RouteConfigException extends IllegalStateException {
    RouteConfigException(String message) {
        super(message);
    }

    public static RouteConfigException forRoute(String route, String problem) {
        return new RouteConfigException("route " + route + ": " + problem);
    }
}
