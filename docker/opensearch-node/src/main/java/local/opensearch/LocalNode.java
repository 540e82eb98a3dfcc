package local.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.api.LayoutComponentBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * Runs one real OpenSearch 2.x node inside this JVM, with its modules taken from the classpath
 * instead of a distribution's modules/ folder, so a machine with only Java and Maven Central can
 * run the same engine as the official image.
 *
 * <p>It goes through the protected {@link Node} constructor, as OpenSearch's own test framework
 * does, and so skips the bootstrap (security manager, root check, bootstrap checks).
 *
 * <p>Options, each as {@code --name=value} or as the system property {@code opensearch.<name>}:
 * {@code home} (required), {@code data} (default home/data), {@code logs} (default home/logs),
 * {@code http-port} (9200), {@code cluster-name} (local-opensearch), {@code node-name}
 * (cluster name + "-node"). Any other setting can be passed as {@code -Ename=value}.
 */
public final class LocalNode {

    private static final String PATTERN = "[%d{ISO8601}][%-5p][%-25c{1.}] %m%n";

    private LocalNode() {}

    /** Exposes Node's protected constructor, the one that accepts plugins from the classpath. */
    private static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        Settings.Builder extra = Settings.builder();
        for (String arg : args) {
            if (arg.startsWith("-E") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                extra.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (arg.startsWith("--") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                throw new IllegalArgumentException("unrecognised argument: " + arg);
            }
        }

        String homeOption = option(options, "home", null);
        if (homeOption == null) {
            throw new IllegalArgumentException("--home=<dir> (or -Dopensearch.home) is required");
        }
        Path home = Paths.get(homeOption).toAbsolutePath();
        Path data = Paths.get(option(options, "data", home.resolve("data").toString()));
        Path logs = Paths.get(option(options, "logs", home.resolve("logs").toString()));
        String clusterName = option(options, "cluster-name", "local-opensearch");
        String nodeName = option(options, "node-name", clusterName + "-node");
        String httpPort = option(options, "http-port", "9200");

        // The Environment insists on these folders; they stay empty because every plugin comes
        // from the classpath.
        for (Path dir : List.of(home.resolve("config"), home.resolve("modules"),
                home.resolve("plugins"), data.toAbsolutePath(), logs.toAbsolutePath())) {
            Files.createDirectories(dir);
        }

        // Logging must be configured before any OpenSearch class creates its first logger.
        configureLogging(logs.toAbsolutePath(), clusterName);
        Logger log = LogManager.getLogger(LocalNode.class);

        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", data.toAbsolutePath().toString())
                .put("path.logs", logs.toAbsolutePath().toString())
                .put("cluster.name", clusterName)
                .put("node.name", nodeName)
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("discovery.type", "single-node")
                // A nearly full disk would otherwise flip every index to read-only.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put(extra.build())
                .build();

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Map.of(), home.resolve("config"), () -> nodeName);
        Node node = new ClasspathPluginNode(environment, plugins());

        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Close cleanly on SIGTERM so the data folder is left consistent (no stale locks).
            try {
                log.info("shutdown requested, closing node");
                node.close();
                if (!node.awaitClose(30, TimeUnit.SECONDS)) {
                    log.warn("node did not close within 30s");
                }
                log.info("node closed");
            } catch (Exception e) {
                log.error("failed to close node", e);
            } finally {
                closed.countDown();
                LogManager.shutdown();
            }
        }, "local-opensearch-shutdown"));

        try {
            node.start();
        } catch (Exception e) {
            log.error("node failed to start", e);
            e.printStackTrace();
            System.exit(1);
        }
        log.info("local node [{}] started, http on 127.0.0.1:{}", nodeName, httpPort);
        System.out.println("local-opensearch started on 127.0.0.1:" + httpPort);

        // OpenSearch's threads are daemons: keep the JVM alive until the shutdown hook has run.
        closed.await();
    }

    private static List<Class<? extends Plugin>> plugins() {
        return List.of(
                org.opensearch.transport.Netty4Plugin.class,
                org.opensearch.analysis.common.CommonAnalysisPlugin.class,
                org.opensearch.index.mapper.MapperExtrasPlugin.class,
                org.opensearch.index.reindex.ReindexPlugin.class,
                org.opensearch.painless.PainlessPlugin.class);
    }

    private static String option(Map<String, String> options, String name, String fallback) {
        String value = options.get(name);
        if (value == null) {
            value = System.getProperty("opensearch." + name);
        }
        return value == null || value.isEmpty() ? fallback : value;
    }

    /**
     * Plain pattern layout to files under the logs folder. The stock OpenSearch config uses a
     * node-name converter that throws until the bootstrap has set the node name, so it is not used.
     */
    private static void configureLogging(Path logs, String clusterName) {
        ConfigurationBuilder<BuiltConfiguration> b =
                ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("local-opensearch");
        b.setStatusLevel(Level.WARN);
        // Our own hook closes the node first and then stops log4j, so close messages are kept.
        b.setShutdownHook("disable");

        b.add(rollingFile(b, "main", logs.resolve(clusterName + ".log")));
        b.add(rollingFile(b, "deprecation", logs.resolve(clusterName + "_deprecation.log")));
        // Turns deprecation log events into HTTP "Warning" headers, as the distribution does.
        b.add(b.newAppender("header_warning", "HeaderWarningAppender"));

        b.add(b.newLogger("org.opensearch.deprecation", Level.INFO)
                .add(b.newAppenderRef("deprecation"))
                .add(b.newAppenderRef("header_warning"))
                .addAttribute("additivity", false));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("main")));
        Configurator.initialize(b.build());
    }

    private static AppenderComponentBuilder rollingFile(
            ConfigurationBuilder<BuiltConfiguration> b, String name, Path file) {
        LayoutComponentBuilder layout =
                b.newLayout("PatternLayout").addAttribute("pattern", PATTERN);
        return b.newAppender(name, "RollingFile")
                .addAttribute("fileName", file.toString())
                .addAttribute("filePattern", file + ".%i")
                .add(layout)
                .addComponent(b.newComponent("Policies")
                        .addComponent(b.newComponent("SizeBasedTriggeringPolicy")
                                .addAttribute("size", "32MB")))
                .addComponent(b.newComponent("DefaultRolloverStrategy")
                        .addAttribute("max", "3"));
    }
}
