package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes against the Kubernetes API's schemas and against the runner: every document is read into its
 * fabric8 model class (the API's types, generated from its OpenAPI schemas), and a field the schema does not have
 * fails, where fabric8 would keep it aside; then the references between the manifests, and from them to the runner
 * and the Dockerfile, are checked: selectors, ports and probe paths, the embedded configuration (read by
 * {@link ConfigLoader} with the environment the pods get), the variable names, and the drain's time budget.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    /** apiVersion/kind to the model class; a document of another kind fails the test. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    /** Variables the JVM itself reads, which may be set beside the runner's. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper MODEL = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final List<HasMetadata> resources = new ArrayList<>();
    private static Deployment deployment;
    private static Container gateway;

    @BeforeAll
    static void readTheManifests() throws IOException {
        for (Path file : manifestFiles()) {
            List<JsonNode> documents = YAML.readValues(new YAMLFactory().createParser(file.toFile()), JsonNode.class)
                    .readAll();
            for (JsonNode document : documents) {
                String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                assertNotNull(type, file + ": a document of " + kind + ", which this test does not know");
                HasMetadata resource = MODEL.treeToValue(document, type);
                List<String> unknown = new ArrayList<>();
                unknownFields(resource, kind, unknown, new IdentityHashMap<>());
                assertEquals(List.of(), unknown, file + ": fields the Kubernetes schema does not have");
                resources.add(resource);
            }
        }
        deployment = the(Deployment.class);
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), "one container: the gateway");
        gateway = containers.getFirst();
    }

    @Test
    void everyKindOfTheDeploymentIsThereOnceInOneNamespace() {
        for (Class<? extends HasMetadata> type : List.of(Namespace.class, Secret.class, Service.class,
                Deployment.class, PodDisruptionBudget.class, HorizontalPodAutoscaler.class)) {
            assertEquals(1, resources.stream().filter(type::isInstance).count(), type.getSimpleName());
        }
        String namespace = the(Namespace.class).getMetadata().getName();
        resources.stream().filter(resource -> !(resource instanceof Namespace)).forEach(resource -> assertEquals(
                namespace, resource.getMetadata().getNamespace(), resource.getKind() + " " + name(resource)));
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(entry -> listed.add(entry.asText()));
        assertEquals(manifestFiles().stream().map(file -> file.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new)), listed);
    }

    @Test
    void theServiceThePdbAndTheSpreadSelectTheDeploymentsPods() {
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "the Deployment selects its own pods");
        assertEquals(selector, the(Service.class).getSpec().getSelector(), "Service");
        assertEquals(selector, the(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels(), "PDB");
        List<TopologySpreadConstraint> spread = deployment.getSpec().getTemplate().getSpec()
                .getTopologySpreadConstraints();
        assertTrue(!spread.isEmpty(), "replicas are spread over nodes");
        spread.forEach(constraint -> assertEquals(selector, constraint.getLabelSelector().getMatchLabels(),
                constraint.getTopologyKey()));
    }

    @Test
    void theReplicasAreActiveActiveAndStayAvailable() {
        assertTrue(deployment.getSpec().getReplicas() >= 2, "at least two replicas");
        assertEquals(1, the(PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal(), "PDB minAvailable");
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
                "a rollout never takes capacity away");
        assertEquals("None", the(Service.class).getSpec().getSessionAffinity(), "sessions are shared through Redis");
        Map<String, String> env = podEnvironment();
        assertTrue(env.containsKey("POSTGRES_HOST") && env.containsKey("REDIS_HOST"),
                "PostgreSQL and Redis make the replicas one gateway: " + env.keySet());
    }

    @Test
    void theAutoscalerScalesTheDeploymentOnCpu() {
        HorizontalPodAutoscaler hpa = the(HorizontalPodAutoscaler.class);
        assertEquals("apps/v1", hpa.getSpec().getScaleTargetRef().getApiVersion());
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(name(deployment), hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= deployment.getSpec().getReplicas(), "min replicas");
        assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas(), "room to scale");
        assertTrue(hpa.getSpec().getMetrics().stream().anyMatch(metric -> metric.getResource() != null
                && "cpu".equals(metric.getResource().getName())), "a CPU metric");
        assertNotNull(gateway.getResources().getRequests().get("cpu"), "CPU utilization needs a CPU request");
    }

    @Test
    void theEmbeddedConfigurationIsValidWithThePodsEnvironment() {
        ConfigMap config = configMapMountedAt("/etc/mcp-gateway");
        List<String> args = gateway.getArgs();
        assertEquals(List.of("--config", "/etc/mcp-gateway/gateway.yaml"), args);
        String text = config.getData().get("gateway.yaml");
        assertNotNull(text, "the ConfigMap holds gateway.yaml");
        // What the runner does at start, with what the pod's environment holds, and the image's GATEWAY_HOST.
        Map<String, String> env = new HashMap<>(podEnvironment());
        env.put(ConfigLoader.GATEWAY_HOST, dockerfileEnv("GATEWAY_HOST"));
        RunnerConfig loaded = ConfigLoader.loadAtStart("gateway.yaml", text, env);
        assertEquals("introspection", loaded.auth().provider(), "clients authenticate");
    }

    @Test
    void everyVariableThePodGetsIsOneTheRunnerReads() {
        Set<String> known = new TreeSet<>(EnvironmentOverrides.variables().keySet());
        known.addAll(EnvironmentOverrides.ALIASES.keySet());
        known.addAll(JVM_VARIABLES);
        Set<String> unknown = new TreeSet<>(podEnvironment().keySet());
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown, "variables the runner would ignore (or warn of)");
        assertEquals(Boolean.FALSE, deployment.getSpec().getTemplate().getSpec().getEnableServiceLinks(),
                "service links would add MCP_GATEWAY_* variables naming no setting");
    }

    @Test
    void theProbesAskTheRunnersEndpointsOnItsPort() {
        ConfigMap config = configMapMountedAt("/etc/mcp-gateway");
        Map<String, String> env = new HashMap<>(podEnvironment());
        env.put(ConfigLoader.GATEWAY_HOST, dockerfileEnv("GATEWAY_HOST"));
        HttpFrontDoorOptions server = ConfigLoader.loadAtStart("gateway.yaml", config.getData().get("gateway.yaml"),
                env).server().frontDoorOptions();
        ContainerPort http = gateway.getPorts().stream().filter(port -> "http".equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no port named http"));
        assertEquals(server.port(), http.getContainerPort(), "the container port is the runner's server.port");
        assertEquals(dockerfileExpose(), http.getContainerPort(), "and the image's EXPOSE");
        assertEquals("http", the(Service.class).getSpec().getPorts().getFirst().getTargetPort().getStrVal());

        assertProbe("startup", gateway.getStartupProbe(), "/healthz", server);
        assertProbe("liveness", gateway.getLivenessProbe(), "/healthz", server);
        assertProbe("readiness", gateway.getReadinessProbe(), "/readyz", server);
        assertTrue(server.allowsHost("mcp-gateway." + the(Namespace.class).getMetadata().getName() + ".svc"),
                "clients inside the cluster use the Service's name");
    }

    @Test
    void thePodsRunAsTheImagesNonRootUserOnAReadOnlyRoot() throws IOException {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        Matcher uid = Pattern.compile("(?m)^ARG UID=(\\d+)$").matcher(Files.readString(Path.of("..", "Dockerfile")));
        assertTrue(uid.find(), "the Dockerfile's ARG UID");
        assertEquals(Long.valueOf(uid.group(1)), pod.getSecurityContext().getRunAsUser(), "the image's user");
        assertEquals(Boolean.TRUE, gateway.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, gateway.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), gateway.getSecurityContext().getCapabilities().getDrop());
        assertTrue(gateway.getVolumeMounts().stream().anyMatch(mount -> "/tmp".equals(mount.getMountPath())),
                "a writable /tmp beside the read-only root");
        assertNotNull(gateway.getResources().getLimits().get("memory"), "a memory limit, which the heap follows");
    }

    @Test
    void terminationLeavesTimeForTheRunnersDrain() {
        long preStop = gateway.getLifecycle().getPreStop().getSleep().getSeconds();
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        Duration needed = Duration.ofSeconds(preStop).plus(ShutdownWatchdog.DEFAULT_BOUND);
        assertTrue(Duration.ofSeconds(grace).compareTo(needed) > 0,
                "terminationGracePeriodSeconds " + grace + " must exceed preStop plus the runner's drain: " + needed);
    }

    private static void assertProbe(String which, Probe probe, String path, HttpFrontDoorOptions server) {
        assertNotNull(probe, which + " probe");
        HTTPGetAction get = probe.getHttpGet();
        assertEquals(path, get.getPath(), which);
        assertEquals("http", get.getPort().getStrVal(), which + " probe's port");
        String host = get.getHttpHeaders().stream().filter(header -> "Host".equals(header.getName()))
                .map(HTTPHeader::getValue).findFirst().orElse(null);
        assertTrue(host != null && server.allowsHost(host), which + " probe's Host header must be allowed: " + host);
    }

    /** The ConfigMap the gateway container mounts at that path. */
    private static ConfigMap configMapMountedAt(String path) {
        VolumeMount mount = gateway.getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
        return configMap(volume.getConfigMap().getName());
    }

    /** The environment the gateway container gets: its env entries, and every key of its envFrom sources. */
    private static Map<String, String> podEnvironment() {
        Map<String, String> env = new HashMap<>();
        for (EnvFromSource source : gateway.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                env.putAll(configMap(source.getConfigMapRef().getName()).getData());
            } else {
                String name = source.getSecretRef().getName();
                Secret secret = resources.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                        .filter(s -> name(s).equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError("no Secret " + name));
                env.putAll(secret.getStringData());
            }
        }
        for (EnvVar variable : gateway.getEnv()) {
            env.put(variable.getName(), variable.getValue() == null ? "" : variable.getValue());
        }
        return env;
    }

    private static ConfigMap configMap(String name) {
        return resources.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(map -> name(map).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static String dockerfileEnv(String variable) {
        try {
            Matcher value = Pattern.compile("(?m)^(?:ENV\\s+|\\s+)" + variable + "=(\\S+)")
                    .matcher(Files.readString(Path.of("..", "Dockerfile")));
            assertTrue(value.find(), "the Dockerfile sets " + variable);
            return value.group(1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int dockerfileExpose() {
        try {
            Matcher port = Pattern.compile("(?m)^EXPOSE (\\d+)$").matcher(Files.readString(Path.of("..",
                    "Dockerfile")));
            assertTrue(port.find(), "the Dockerfile's EXPOSE");
            return Integer.parseInt(port.group(1));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static <T extends HasMetadata> T the(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + DIR));
    }

    private static String name(HasMetadata resource) {
        return resource.getMetadata().getName();
    }

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> !file.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }

    /**
     * Collects the fields fabric8 kept in an {@code additionalProperties} map, anywhere in the object: those the
     * schema of their type does not have (fabric8 keeps them rather than fail, for forward compatibility).
     */
    private static void unknownFields(Object value, String path, List<String> unknown, Map<Object, Object> seen) {
        if (value == null || seen.put(value, value) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> unknownFields(item, path + "." + key, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue = read(field, value);
                if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                } else {
                    unknownFields(fieldValue, path + "." + field.getName(), unknown, seen);
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            fail("cannot read " + field, e);
            return null;
        }
    }
}
