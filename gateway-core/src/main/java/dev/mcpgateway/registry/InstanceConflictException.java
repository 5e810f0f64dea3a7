package dev.mcpgateway.registry;

/**
 * Thrown (through a failed future) when a registration names an instance id that another plugin's instance holds:
 * registering it again would silently turn one plugin's instance into another's.
 */
public final class InstanceConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String instanceId;
    private final String heldBy;

    public InstanceConflictException(String instanceId, String heldBy, String wanted) {
        super("instance id '" + instanceId + "' belongs to plugin '" + heldBy + "', not '" + wanted
                + "'; choose another id, or deregister that instance first");
        this.instanceId = instanceId;
        this.heldBy = heldBy;
    }

    /** The id asked for. */
    public String instanceId() {
        return instanceId;
    }

    /** The plugin whose instance holds it. */
    public String heldBy() {
        return heldBy;
    }
}
