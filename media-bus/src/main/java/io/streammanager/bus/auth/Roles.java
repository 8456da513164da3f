package io.streammanager.bus.auth;

import java.util.List;
import java.util.Set;

/**
 * The roles an API token carries, as used in {@code @RolesAllowed}. They nest: an admin is also an operator and a
 * viewer, an operator is also a viewer, so each resource names only the least role it needs.
 *
 * <ul>
 *   <li>{@link #ADMIN}: everything, API tokens included;</li>
 *   <li>{@link #OPERATOR}: streams, outputs, stream keys, sessions, play tokens;</li>
 *   <li>{@link #VIEWER}: read only.</li>
 * </ul>
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";

    /** Every role, most powerful first. */
    public static final List<String> ALL = List.of(ADMIN, OPERATOR, VIEWER);

    private Roles() {
    }

    public static boolean known(String role) {
        return role != null && ALL.contains(role);
    }

    /** The roles a token of {@code role} holds: itself and every role below it. */
    public static Set<String> granted(String role) {
        return switch (role) {
            case ADMIN -> Set.of(ADMIN, OPERATOR, VIEWER);
            case OPERATOR -> Set.of(OPERATOR, VIEWER);
            case VIEWER -> Set.of(VIEWER);
            default -> throw new IllegalArgumentException("unknown role '" + role + "': expected one of " + ALL);
        };
    }
}
