package dev.crucible.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param minFree below this much free space in the storage folder, new work is refused with 503
 *                ("storage full") so that what is already queued and running can still record
 *                its results
 */
@ConfigurationProperties("crucible.storage")
public record StorageProperties(@DefaultValue("64MB") DataSize minFree) {
}
