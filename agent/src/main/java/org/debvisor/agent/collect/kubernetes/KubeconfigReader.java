package org.debvisor.agent.collect.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.pem.PemException;

/**
 * Reads a kubeconfig file and resolves its current context into a {@link Kubeconfig}. Relative file
 * paths in it are taken relative to the kubeconfig's directory, as kubectl does.
 */
public final class KubeconfigReader {

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** Reads and resolves the file; every error names the file and the offending key. */
  public Kubeconfig read(Path file) throws KubeconfigException {
    Path path = file.toAbsolutePath();
    String prefix = "kubeconfig " + path + ": ";
    JsonNode root;
    try {
      root = yaml.readTree(path.toFile());
    } catch (IOException e) {
      throw new KubeconfigException(prefix + "cannot be read as YAML: " + firstLine(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new KubeconfigException(prefix + "is empty or not a YAML mapping");
    }
    Resolver resolver = new Resolver(path, prefix, root);
    return resolver.resolve();
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Walks one parsed kubeconfig; holds the file's identity for error messages. */
  private static final class Resolver {
    private final Path path;
    private final String prefix;
    private final JsonNode root;

    Resolver(Path path, String prefix, JsonNode root) {
      this.path = path;
      this.prefix = prefix;
      this.root = root;
    }

    Kubeconfig resolve() throws KubeconfigException {
      String contextName = text(root, "current-context");
      if (contextName.isEmpty()) {
        throw error("current-context is not set");
      }
      JsonNode context =
          entry("contexts", "context", contextName)
              .orElseThrow(
                  () -> error("current-context '" + contextName + "' is not among contexts"));
      String clusterName = text(context, "cluster");
      if (clusterName.isEmpty()) {
        throw error("contexts[" + contextName + "].cluster is not set");
      }
      JsonNode cluster =
          entry("clusters", "cluster", clusterName)
              .orElseThrow(
                  () ->
                      error(
                          "cluster '"
                              + clusterName
                              + "' of context '"
                              + contextName
                              + "' is not among clusters"));
      String userName = text(context, "user");
      KubeUser user;
      if (userName.isEmpty()) {
        user = new KubeUser("", "", null, List.of());
      } else {
        JsonNode userNode =
            entry("users", "user", userName)
                .orElseThrow(
                    () ->
                        error(
                            "user '"
                                + userName
                                + "' of context '"
                                + contextName
                                + "' is not among users"));
        user = user(userName, userNode);
      }
      return new Kubeconfig(path, contextName, cluster(clusterName, cluster), user);
    }

    private KubeCluster cluster(String name, JsonNode cluster) throws KubeconfigException {
      String key = "clusters[" + name + "]";
      String server = text(cluster, "server");
      if (server.isEmpty()) {
        throw error(key + ".server is not set");
      }
      URI uri;
      try {
        uri = new URI(server);
      } catch (URISyntaxException e) {
        throw error(key + ".server '" + server + "' is not a URL: " + e.getMessage());
      }
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw error(key + ".server '" + server + "' is not an http(s) URL with a host");
      }
      JsonNode insecureNode = cluster.path("insecure-skip-tls-verify");
      if (!insecureNode.isMissingNode() && !insecureNode.isBoolean()) {
        throw error(key + ".insecure-skip-tls-verify must be true or false");
      }
      List<X509Certificate> authorities = List.of();
      Optional<String> caPem =
          pem(cluster, key, "certificate-authority-data", "certificate-authority");
      if (caPem.isPresent()) {
        authorities = certificates(caPem.get(), prefix + key + " certificate authority");
      }
      return new KubeCluster(name, uri, authorities, insecureNode.asBoolean(false));
    }

    private KubeUser user(String name, JsonNode user) throws KubeconfigException {
      String key = "users[" + name + "]";
      String token = text(user, "token");
      String tokenFile = text(user, "tokenFile");
      if (token.isEmpty() && !tokenFile.isEmpty()) {
        token = readFile(key + ".tokenFile", tokenFile).strip();
        if (token.isEmpty()) {
          throw error(key + ".tokenFile " + resolvePath(tokenFile) + " is empty");
        }
      }
      Optional<String> certPem = pem(user, key, "client-certificate-data", "client-certificate");
      Optional<String> keyPem = pem(user, key, "client-key-data", "client-key");
      if (certPem.isPresent() != keyPem.isPresent()) {
        throw error(
            key
                + (certPem.isPresent()
                    ? " has a client certificate but no client-key(-data)"
                    : " has a client key but no client-certificate(-data)"));
      }
      PrivateKey privateKey = null;
      List<X509Certificate> chain = List.of();
      if (certPem.isPresent()) {
        chain = certificates(certPem.get(), prefix + key + " client certificate");
        privateKey = privateKey(keyPem.get(), prefix + key + " client key");
      }
      if (token.isEmpty() && privateKey == null && hasExecOrAuthProvider(user)) {
        throw error(
            key
                + " authenticates through exec or auth-provider, which the agent does not run;"
                + " give it a token, tokenFile or client certificate");
      }
      return new KubeUser(name, token, privateKey, chain);
    }

    private static boolean hasExecOrAuthProvider(JsonNode user) {
      return user.has("exec") || user.has("auth-provider");
    }

    /** PEM text from {@code dataKey} (base64) or else from the file named by {@code fileKey}. */
    private Optional<String> pem(JsonNode node, String key, String dataKey, String fileKey)
        throws KubeconfigException {
      String data = text(node, dataKey);
      if (!data.isEmpty()) {
        try {
          byte[] decoded = Base64.getMimeDecoder().decode(data);
          return Optional.of(new String(decoded, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
          throw error(key + "." + dataKey + " is not valid base64: " + e.getMessage());
        }
      }
      String file = text(node, fileKey);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(readFile(key + "." + fileKey, file));
    }

    private String readFile(String key, String file) throws KubeconfigException {
      Path resolved = resolvePath(file);
      try {
        return Files.readString(resolved, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new KubeconfigException(
            prefix + key + " " + resolved + " cannot be read: " + e.getClass().getSimpleName(), e);
      }
    }

    private Path resolvePath(String file) {
      Path parent = path.getParent();
      return parent == null ? Path.of(file) : parent.resolve(file);
    }

    /** The inner mapping of the named entry in a list like {@code clusters: [{name, cluster}]}. */
    private Optional<JsonNode> entry(String list, String inner, String name)
        throws KubeconfigException {
      JsonNode entries = root.path(list);
      if (entries.isMissingNode() || entries.isNull()) {
        return Optional.empty();
      }
      if (!entries.isArray()) {
        throw error(list + " is not a list");
      }
      for (JsonNode entry : entries) {
        if (name.equals(entry.path("name").asText())) {
          JsonNode value = entry.path(inner);
          if (!value.isObject()) {
            throw error(list + "[" + name + "]." + inner + " is missing or not a mapping");
          }
          return Optional.of(value);
        }
      }
      return Optional.empty();
    }

    private static String text(JsonNode node, String field) {
      JsonNode value = node.path(field);
      return value.isValueNode() ? value.asText().strip() : "";
    }

    private KubeconfigException error(String detail) {
      return new KubeconfigException(prefix + detail);
    }
  }

  /**
   * @param what names the source in error messages, e.g. "users[kubelet] client certificate"
   */
  private static List<X509Certificate> certificates(String pem, String what)
      throws KubeconfigException {
    try {
      return Pem.certificates(pem);
    } catch (PemException e) {
      throw pemProblem(e, what, "holds no PEM certificate");
    }
  }

  /** The first private key in the text (a combined cert+key file is fine). */
  private static PrivateKey privateKey(String pem, String what) throws KubeconfigException {
    try {
      return Pem.privateKey(pem);
    } catch (PemException e) {
      throw pemProblem(
          e, what, "holds no unencrypted RSA or EC private key (PKCS#1, SEC1 or PKCS#8 PEM)");
    }
  }

  private static KubeconfigException pemProblem(PemException e, String what, String notFound) {
    return e.problem() == PemException.Problem.NOT_FOUND
        ? new KubeconfigException(what + " " + notFound)
        : new KubeconfigException(what + " is " + e.getMessage(), e);
  }
}
