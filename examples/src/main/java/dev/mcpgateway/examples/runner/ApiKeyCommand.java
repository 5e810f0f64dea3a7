package dev.mcpgateway.examples.runner;

import dev.mcpgateway.auth.ApiKey;
import dev.mcpgateway.auth.ApiKeys;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code mcp-gateway apikey --name NAME [--scopes "a b"]}: makes a new API key, prints it once, and prints the
 * {@code auth.apiKeys} entry holding its SHA-256 to paste into the configuration. The key is printed and forgotten:
 * the gateway keeps only the hash, so a lost key is replaced, not recovered.
 */
final class ApiKeyCommand {
    /** The subcommand's name, the first argument. */
    static final String NAME = "apikey";
    /** What {@code apikey --help} and a usage error print. */
    static final String USAGE = """
            usage: mcp-gateway apikey --name NAME [--scopes "SCOPE ..."]
              --name NAME      the key's name, its client id in logs and audit: letters, digits, '.', '_', '-'
              --scopes SCOPES  the scopes it grants, separated by spaces or commas, e.g. "mcp:use gateway:read"
              --help           print this and exit
            Prints a new key once, and the auth.apiKeys entry with its SHA-256 to paste into the configuration.""";

    private ApiKeyCommand() {
    }

    /**
     * Makes and prints a key.
     *
     * @return the exit status: 0 when printed (or for {@code --help}), 2 for bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String name = null;
        String scopes = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--name", "--scopes" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, args[i] + " needs a value");
                    }
                    if (args[i].equals("--name")) {
                        name = args[++i];
                    } else {
                        scopes = args[++i];
                    }
                }
                default -> {
                    return usage(err, "unknown argument '" + args[i] + "'");
                }
            }
        }
        if (name == null) {
            return usage(err, "--name is required: the client the key is for, e.g. --name ci-deploy");
        }
        String key = ApiKeys.generate();
        List<String> granted = AuthConfig.split(List.of(scopes));
        ApiKey entry;
        try {
            entry = ApiKey.builder(name, ApiKeys.sha256Hex(key)).scopes(granted).build();
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        out.println("# API key '" + entry.name() + "', shown only now: the gateway keeps its SHA-256, not the key.");
        out.println("# The client sends it as: Authorization: Bearer <key>");
        out.println(key);
        out.println();
        out.println("# Paste under auth.apiKeys (with auth.provider apikeys, oauth2 or introspection):");
        // Indented as under "  apiKeys:" in the auth section; quoted, so that a name such as 2027 stays a string.
        out.println("    - name: " + quoted(entry.name()));
        out.println("      sha256: " + entry.sha256());
        out.println("      scopes: [" + String.join(", ", granted.stream().map(ApiKeyCommand::quoted).toList()) + "]");
        out.flush();
        return 0;
    }

    /** A YAML double-quoted string. */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static int usage(PrintStream err, String problem) {
        err.println("mcp-gateway apikey: " + problem);
        err.println(USAGE);
        return 2;
    }
}
