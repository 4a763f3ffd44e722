package io.graphwal.autoconfigure.actuate;

import java.util.List;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Makes the {@code wal} health component a member of the {@code readiness} group, so that an instance whose
 * log is poisoned (and so refuses every write) is taken out of the load balancer's rotation.
 * <p>
 * Boot builds the readiness group from {@code readinessState} alone unless the application lists the members
 * itself; when it does ({@code management.endpoint.health.group.readiness.include}), that list wins and this
 * post-processor leaves the groups alone. Membership is widened rather than configured through a property because a
 * group that names a contributor which does not exist (health indicator turned off, user's own bean under
 * another name) fails startup, while an extra {@code isMember} answer for an absent contributor is harmless.
 * The group is looked up when the groups are post-processed, so this must run after Boot's availability probes
 * post-processor has created it; {@link WalHealthContributorAutoConfiguration} is ordered after the probes
 * auto-configuration for that reason.
 */
final class WalReadinessGroupPostProcessor implements HealthEndpointGroupsPostProcessor {

    static final String READINESS = "readiness";

    static final String WAL = "wal";

    static final String READINESS_INCLUDE = "management.endpoint.health.group.readiness.include";

    private final boolean membersListedByApplication;

    WalReadinessGroupPostProcessor(boolean membersListedByApplication) {
        this.membersListedByApplication = membersListedByApplication;
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (membersListedByApplication || readiness == null || readiness.isMember(WAL)) {
            return groups;
        }
        return new GroupsWithWal(groups, new ReadinessWithWal(readiness));
    }

    /** The same groups with the readiness group replaced, keeping the probes' additional paths mapping. */
    private record GroupsWithWal(HealthEndpointGroups delegate, HealthEndpointGroup readiness)
            implements HealthEndpointGroups, AdditionalPathsMapper {

        @Override
        public HealthEndpointGroup getPrimary() {
            return delegate.getPrimary();
        }

        @Override
        public Set<String> getNames() {
            return delegate.getNames();
        }

        @Override
        public HealthEndpointGroup get(String name) {
            return READINESS.equals(name) ? readiness : delegate.get(name);
        }

        @Override
        public List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
            return (delegate instanceof AdditionalPathsMapper mapper)
                    ? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
        }
    }

    /** The readiness group as configured, plus the {@code wal} component. */
    private record ReadinessWithWal(HealthEndpointGroup delegate) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return WAL.equals(name) || delegate.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return delegate.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return delegate.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return delegate.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return delegate.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return delegate.getAdditionalPath();
        }
    }
}
