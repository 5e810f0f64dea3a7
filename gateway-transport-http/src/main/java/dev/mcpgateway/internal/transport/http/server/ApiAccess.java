package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a management API caller may do, once its token is validated: the scope each route requires by its class
 * (reads, registration, managing an instance, administration, rule writes, invocations), and which plugin names a
 * registering token may act for: {@code <registerScope>:<glob>} scopes and the {@code pluginNamesClaim} array,
 * either restricting it; with the plain register scope and neither, any name; with the admin scope, any name and any
 * instance. Thread-safe.
 */
final class ApiAccess {
    /** What a route needs. */
    enum Need {
        /** Nothing: the probes and the dashboard's static resources. */
        NONE,
        /** The read scope. */
        READ,
        /** The register scope (names checked by the route), or the admin scope. */
        REGISTER,
        /** The register scope for the instance's plugin name (checked by the route), or the admin scope. */
        OWN_INSTANCE,
        /** The admin scope. */
        ADMIN,
        /** The rule-writing scope. */
        RULES_WRITE,
        /** The invoking scope. */
        INVOKE
    }

    /** A caller's grant, as the routes see it; {@link #OPEN} when the front door authenticates nobody. */
    interface Grant {
        /** Everything allowed. */
        Grant OPEN = new Grant() {
            @Override
            public boolean mayRegister(String pluginName) {
                return true;
            }

            @Override
            public boolean mayManage(PluginInstance instance) {
                return true;
            }
        };

        /** Whether the caller may register an instance of this plugin. */
        boolean mayRegister(String pluginName);

        /** Whether the caller may renew or deregister this instance. */
        boolean mayManage(PluginInstance instance);

        /**
         * Who the caller authenticated as, which the access policy judges its tool invocations by; null for
         * {@link #OPEN} (administrators, and everyone where nobody authenticates), whom it does not restrict.
         */
        default Principal principal() {
            return null;
        }
    }

    private final FrontDoorAuth auth;

    ApiAccess(FrontDoorAuth auth) {
        this.auth = auth;
    }

    /** What a route of this method and template needs. */
    static Need need(String method, String template) {
        // The dashboard's static resources hold no data: the page asks for the token its polls then send.
        if (template.equals("/healthz") || template.equals("/readyz") || DashboardRoutes.isDashboard(template)) {
            return Need.NONE;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            return Need.READ;
        }
        return switch (method + " " + template) {
            case "POST /api/v1/plugins" -> Need.REGISTER;
            case "DELETE /api/v1/plugins/{id}", "POST /api/v1/plugins/{id}/heartbeat" -> Need.OWN_INSTANCE;
            case "PUT /api/v1/rules", "PUT /api/v1/rules/{name}", "DELETE /api/v1/rules/{name}" -> Need.RULES_WRITE;
            case "POST /api/v1/tools/{name}/invoke" -> Need.INVOKE;
            default -> Need.ADMIN; // a route nobody classed is for administrators only
        };
    }

    /** The scopes a token needs for a route; registering and managing take the register or the admin scope. */
    BearerAuth.Requirement requirement(Need need) {
        return switch (need) {
            case NONE -> BearerAuth.Requirement.all(Set.of());
            case READ -> BearerAuth.Requirement.all(Set.of(auth.readScope()));
            case REGISTER, OWN_INSTANCE -> new BearerAuth.Requirement(Set.of(auth.registerScope(), auth.adminScope()),
                    true, Set.of(auth.registerScope()));
            case ADMIN -> BearerAuth.Requirement.all(Set.of(auth.adminScope()));
            case RULES_WRITE -> BearerAuth.Requirement.all(Set.of(auth.rulesWriteScope()));
            case INVOKE -> BearerAuth.Requirement.all(Set.of(auth.invokeScope()));
        };
    }

    /** The grant of a validated principal. */
    Grant grant(Principal principal) {
        if (principal.hasScope(auth.adminScope())) {
            return Grant.OPEN;
        }
        List<Pattern> names = allowedNames(principal);
        return new Grant() {
            @Override
            public boolean mayRegister(String pluginName) {
                return principal.hasScope(auth.registerScope())
                        && (names == null || names.stream().anyMatch(name -> name.matcher(pluginName).matches()));
            }

            @Override
            public boolean mayManage(PluginInstance instance) {
                // Instances the host or the config file registered are not a registering token's to touch.
                return instance.source() == RegistrationSource.API && mayRegister(instance.pluginName());
            }

            @Override
            public Principal principal() {
                return principal;
            }
        };
    }

    /** The name patterns the token restricts itself to, or null when it does not restrict them. */
    private List<Pattern> allowedNames(Principal principal) {
        List<Pattern> names = new ArrayList<>();
        boolean restricted = false;
        String prefix = auth.registerScope() + ":";
        for (String scope : principal.scopes()) {
            if (scope.startsWith(prefix)) {
                restricted = true;
                names.add(glob(scope.substring(prefix.length())));
            }
        }
        Object claim = principal.claims().get(auth.pluginNamesClaim());
        if (claim != null) {
            restricted = true; // a claim of another shape restricts to nothing rather than to everything
            if (claim instanceof List<?> list) {
                for (Object name : list) {
                    if (name instanceof String text) {
                        names.add(glob(text));
                    }
                }
            }
        }
        return restricted ? List.copyOf(names) : null;
    }

    /** A name glob: {@code *} any run of characters, everything else literal. */
    static Pattern glob(String glob) {
        return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
