/**
 * The gateway's TCP connections, below HTTP routing: a cap on how many are open (beyond it a
 * request gets 503 and its connection is closed), the header-read timeout against slowloris
 * clients, the keep-alive idle timeout, {@code Connection: close} honoured after a response, and
 * the listening socket brought back if Helidon's accept loop ends (for example after "Too many open
 * files").
 *
 * <p>Layer 4: may use {@code error} and {@code http} (a request refused beyond the cap is written
 * and recorded like any refused request); only the wiring class {@link gaming.gateway.Gateway}
 * uses it.
 */
package gaming.gateway.connection;
