# syntax=docker/dockerfile:1
#
# http-nats-gateway image: one image, three modes chosen by the argument
#   docker run IMAGE            -> gateway (default CMD)
#   docker run IMAGE demo       -> gateway + reference services in one JVM
#   docker run IMAGE services   -> reference services alone
# Checked by src/test/java/gaming/deploy/DockerfileTest.java.

# ---- build stage: JDK 25 + Maven (the code targets Java 21) ------------------
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /build

# Dependency layer: only pom.xml, so source edits do not re-download the world.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline

# Sources: Protobuf contracts (compiled by the build), Java sources, default config.
COPY proto ./proto
COPY src/main ./src/main
COPY application.yaml ./
RUN mvn -B -Dmaven.test.skip=true package \
 && test -f target/http-nats-gateway.jar && test -d target/libs

# ---- run stage: JRE 25, non-root ------------------------------------------------
# Java 25, where bench/README.md's figures were measured: its virtual-thread scheduler is the one
# the gateway was tuned on (untimed waits, NATS I/O on virtual threads).
FROM eclipse-temurin:25-jre-noble

RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin gateway

WORKDIR /app
# Libraries first: they change less often than the application jar.
COPY --from=build /build/target/libs ./libs
COPY --from=build /build/target/http-nats-gateway.jar ./http-nats-gateway.jar

# Numeric UID so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001

EXPOSE 8000

# The JRE image has neither curl nor wget; bash's /dev/tcp sends a real HTTP
# request and the check passes only on status 200 (503 while NATS is down).
# It uses $PORT when set (default 8000). Kubernetes ignores HEALTHCHECK and uses
# the probes in k8s/deployment.yaml instead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8000} && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS=' ' read -r _ status _ <&3 && [ \"$status\" = 200 ]"]

# Exec form: java is PID 1 and receives SIGTERM directly (graceful shutdown).
# Compact object headers (Java 25): 8-byte headers, about 0.8 KiB less heap per open SSE stream,
# request/reply throughput unchanged (bench/README.md). Extra JVM flags: set JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseCompactObjectHeaders", "-jar", "/app/http-nats-gateway.jar"]
CMD ["gateway"]
