package io.graphwal.archive.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import io.graphwal.wal.InvalidSettingException;

/**
 * The rules for an S3 target's settings, in one place for the builder, the {@code s3://} provider and the
 * Spring properties. Each refusal is an {@link InvalidSettingException} under the setting's option name
 * ({@code bucket}, {@code prefix}, {@code endpoint}, {@code region}, {@code path-style}), which the Spring
 * layer turns into its property key.
 */
final class S3Settings {

    static final String BUCKET = "bucket";
    static final String PREFIX = "prefix";
    static final String ENDPOINT = "endpoint";
    static final String REGION = "region";
    static final String PATH_STYLE = "path-style";

    static final String BUCKET_ALLOWED = "the name of an existing bucket: 3 to 63 lowercase letters, digits, dots "
            + "and hyphens, beginning and ending with a letter or digit";
    static final String PREFIX_ALLOWED = "a key prefix of ASCII letters, digits and .-_/ without empty parts "
            + "(such as graphwal or backups/orders), at most " + S3Settings.MAX_PREFIX_LENGTH + " characters, "
            + "or empty for the bucket's root";
    static final String ENDPOINT_ALLOWED = "an absolute http:// or https:// URL naming only a host and "
            + "optionally a port, such as http://localhost:9000";
    static final String REGION_ALLOWED = "a region name of lowercase letters, digits and single hyphens, such "
            + "as us-east-1 (S3-compatible stores that ignore regions accept any such name)";
    static final String PATH_STYLE_ALLOWED = "true or false";

    /** Leaves room under S3's 1,024-byte key limit for the longest object name a target must accept. */
    static final int MAX_PREFIX_LENGTH = 512;

    // Virtual-hosted addressing puts the bucket in a host name, so AWS's rules are DNS-label rules.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private S3Settings() {
    }

    static String bucket(String bucket) {
        if (bucket == null || !BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            throw new InvalidSettingException(BUCKET, bucket, BUCKET_ALLOWED);
        }
        return bucket;
    }

    /** The prefix without leading or trailing slashes, so that {@code /a/} and {@code a} name the same keys. */
    static String prefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        int start = 0;
        int end = prefix.length();
        while (start < end && prefix.charAt(start) == '/') {
            start++;
        }
        while (end > start && prefix.charAt(end - 1) == '/') {
            end--;
        }
        String trimmed = prefix.substring(start, end);
        if (!trimmed.isEmpty() && (trimmed.length() > MAX_PREFIX_LENGTH || !KEY_PATH.matcher(trimmed).matches())) {
            throw new InvalidSettingException(PREFIX, prefix, PREFIX_ALLOWED);
        }
        return trimmed;
    }

    /** The endpoint of an S3-compatible store, or {@code null} (blank included) for AWS S3 itself. */
    static URI endpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(ENDPOINT, endpoint, ENDPOINT_ALLOWED);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean onlyHostAndPort = uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                && uri.getRawFragment() == null && (uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
        // A path would silently become part of every key's URL, which stores disagree about; refuse it.
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque() || !onlyHostAndPort) {
            throw new InvalidSettingException(ENDPOINT, endpoint, ENDPOINT_ALLOWED);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    static String region(String region) {
        if (region == null || region.length() > 64 || !REGION_NAME.matcher(region).matches()) {
            throw new InvalidSettingException(REGION, region, REGION_ALLOWED);
        }
        return region;
    }

    static boolean pathStyle(String pathStyle) {
        if ("true".equalsIgnoreCase(pathStyle)) {
            return true;
        }
        if ("false".equalsIgnoreCase(pathStyle)) {
            return false;
        }
        throw new InvalidSettingException(PATH_STYLE, pathStyle, PATH_STYLE_ALLOWED);
    }
}
