package dev.mcpgateway.internal.gateway;

import dev.mcpgateway.transport.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's transports by type: one of each, the in-process one first, closed in reverse order. */
public final class TransportSet {
    private static final Logger log = LoggerFactory.getLogger(TransportSet.class);

    private TransportSet() {
    }

    /** The transports by type, the in-process one first; two of a type are refused. */
    public static Map<String, Transport> byType(Transport inProcess, List<Transport> added) {
        Map<String, Transport> byType = new LinkedHashMap<>();
        byType.put(inProcess.type(), inProcess);
        for (Transport transport : added) {
            if (byType.putIfAbsent(transport.type(), transport) != null) {
                throw new IllegalArgumentException("two transports of type '" + transport.type() + "' were added; keep one");
            }
        }
        return Collections.unmodifiableMap(byType);
    }

    /** Closes the transports, the last added first; a failure is logged and the others are still closed. */
    public static void closeAll(Map<String, Transport> transports) {
        List<Transport> reverse = new ArrayList<>(transports.values());
        Collections.reverse(reverse);
        for (Transport transport : reverse) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                log.warn("Closing transport {} failed", transport.type(), e);
            }
        }
    }
}
