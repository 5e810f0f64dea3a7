# The MCP Gateway runner as a container image: a jlink'd Java runtime holding only the modules the runner uses, the
# shaded jar, a fixed non-root user, and a health check on /healthz. docs/DEPLOY.md explains every choice.
#
# Build the jar first (./mvnw -B package -pl examples -am -DskipTests), then, with a registry:
#   podman build --format docker -t mcp-gateway .        (or: docker build -t mcp-gateway .)
# Without one, deploy/build-image.sh assembles both base images from Debian packages and the machine's JDK and
# passes them as JDK_IMAGE and BASE_IMAGE.

# Any JDK 21 or newer with jlink and a POSIX shell.
ARG JDK_IMAGE=eclipse-temurin:21-jdk
# Any glibc-based image with bash (the health check's HTTP client is bash's /dev/tcp).
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${JDK_IMAGE} AS runtime
# The modules `jdeps --print-module-deps` finds in the shaded jar, less java.desktop and java.compiler: only code
# paths the runner never takes need them (java.beans in optional Jackson and SnakeYAML introspection, AWT in Jetty's
# leak preventers and PostgreSQL's geometric types, annotation processing in Error Prone's annotations). On JDK 21
# the elliptic-curve crypto (ES256 tokens, TLS) is its own module, jdk.crypto.ec; from JDK 22 it is in java.base.
RUN modules=java.base,java.naming,java.net.http,java.security.jgss,java.sql,jdk.management,jdk.unsupported; \
    case "$(java --list-modules)" in *jdk.crypto.ec@*) modules="$modules,jdk.crypto.ec";; esac; \
    jlink --add-modules "$modules" --strip-java-debug-attributes --no-man-pages --no-header-files --compress=zip-6 \
        --output /opt/java

FROM ${BASE_IMAGE}
# A fixed UID, so that Kubernetes' runAsNonRoot can check it and volumes can be owned by it; the files stay root's.
ARG UID=10001
COPY --from=runtime /opt/java /opt/java
COPY examples/target/mcp-gateway.jar /opt/mcp-gateway/mcp-gateway.jar
WORKDIR /opt/mcp-gateway
USER ${UID}:${UID}
# Every interface, as a container must; the runner then refuses to start unless AUTH_PROVIDER says how clients
# authenticate (oauth2, introspection, apikeys) or that they need not (none): the image never decides that.
ENV GATEWAY_HOST=0.0.0.0 \
    PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin
EXPOSE 9105
COPY deploy/healthcheck /usr/local/bin/mcp-gateway-healthcheck
# deploy/healthcheck: GET /healthz over the container's loopback with bash alone (no curl or wget in the image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/mcp-gateway-healthcheck"]
# The heap follows the container's memory limit, leaving a quarter for metaspace, threads, buffers and stdio plugin
# processes; out of memory, the process exits so that the orchestrator restarts it. SIGTERM drains within 20 s.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/opt/mcp-gateway/mcp-gateway.jar"]
