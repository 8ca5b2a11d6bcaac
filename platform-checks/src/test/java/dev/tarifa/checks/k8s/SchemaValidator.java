package dev.tarifa.checks.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict validation of rendered objects against the Kubernetes API model (fabric8's typed classes).
 *
 * <p>Each object is deserialised to the class its {@code apiVersion}/{@code kind} names. fabric8's
 * classes keep unknown fields in an {@code additionalProperties} map instead of failing, so the
 * validator walks the typed object graph and reports every non-empty one (a typo such as {@code
 * livenessprobe}, a field at the wrong level). A type mismatch fails deserialisation. An object
 * that only deserialises to {@link GenericKubernetesResource} has no typed model: accepted only for
 * the custom-resource groups listed in {@link #CUSTOM_GROUPS} (their fields are covered by policy
 * tests), an error otherwise (a misspelt kind, a removed apiVersion). Required fields are not
 * checked here; the policy tests cover the ones Tarifa relies on.
 */
final class SchemaValidator {
  /**
   * Groups of the custom resources Tarifa uses (External Secrets, Prometheus Operator,
   * cert-manager).
   */
  static final Set<String> CUSTOM_GROUPS =
      Set.of("external-secrets.io", "monitoring.coreos.com", "cert-manager.io");

  /**
   * API versions served by current Kubernetes releases (1.32) for the built-in kinds Tarifa uses.
   */
  static final Map<String, String> CURRENT_API_VERSIONS =
      Map.ofEntries(
          Map.entry("Namespace", "v1"),
          Map.entry("ConfigMap", "v1"),
          Map.entry("Secret", "v1"),
          Map.entry("Service", "v1"),
          Map.entry("ServiceAccount", "v1"),
          Map.entry("PersistentVolumeClaim", "v1"),
          Map.entry("Deployment", "apps/v1"),
          Map.entry("StatefulSet", "apps/v1"),
          Map.entry("PodDisruptionBudget", "policy/v1"),
          Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"),
          Map.entry("NetworkPolicy", "networking.k8s.io/v1"),
          Map.entry("Ingress", "networking.k8s.io/v1"),
          Map.entry("Role", "rbac.authorization.k8s.io/v1"),
          Map.entry("RoleBinding", "rbac.authorization.k8s.io/v1"));

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private SchemaValidator() {}

  /**
   * Every violation in {@code docs}, each naming the object and the path of the offending field.
   */
  static List<String> validate(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    for (JsonNode d : docs) validate(d, out);
    return out;
  }

  private static void validate(JsonNode d, List<String> out) {
    String id = Manifests.id(d);
    String apiVersion = d.path("apiVersion").asText();
    String kind = Manifests.kind(d);
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      out.add(id + ": no apiVersion or kind");
      return;
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String current = CURRENT_API_VERSIONS.get(kind);
    if (current != null && !current.equals(apiVersion)) {
      out.add(
          id
              + ": apiVersion "
              + apiVersion
              + " is not the one current Kubernetes serves ("
              + current
              + ")");
    }
    KubernetesResource typed;
    try {
      typed = SERIALIZATION.unmarshal(d.toString());
    } catch (RuntimeException e) {
      out.add(
          id + ": does not match the " + apiVersion + " " + kind + " schema: " + rootMessage(e));
      return;
    }
    if (typed instanceof GenericKubernetesResource) {
      if (!CUSTOM_GROUPS.contains(group))
        out.add(id + ": " + apiVersion + " " + kind + " is not a known Kubernetes kind");
      return;
    }
    walk(typed, kind, out, id, new IdentityHashMap<>());
  }

  /** Reports every non-empty additionalProperties map in the typed object graph below {@code o}. */
  private static void walk(
      Object o, String path, List<String> out, String id, IdentityHashMap<Object, Boolean> seen) {
    if (o == null
        || o instanceof String
        || o instanceof Number
        || o instanceof Boolean
        || o instanceof Enum<?>) return;
    if (seen.put(o, Boolean.TRUE) != null) return;
    if (o instanceof Map<?, ?> m) {
      for (var e : m.entrySet()) walk(e.getValue(), path + "[" + e.getKey() + "]", out, id, seen);
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) walk(e, path + "[" + i++ + "]", out, id, seen);
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class) continue;
      String name = m.getName();
      String property;
      if (name.startsWith("get") && name.length() > 3)
        property = Character.toLowerCase(name.charAt(3)) + name.substring(4);
      else if (name.startsWith("is") && name.length() > 2 && m.getReturnType() == Boolean.class)
        property = Character.toLowerCase(name.charAt(2)) + name.substring(3);
      else continue;
      Object value;
      try {
        value = m.invoke(o);
      } catch (InvocationTargetException e) {
        // Quantity computes its amount from the text: "1.5.Gi" or "10 Mi" fails there, as the API
        // server would.
        if (o instanceof io.fabric8.kubernetes.api.model.Quantity q)
          out.add(id + ": invalid quantity '" + q + "' at " + path);
        continue;
      } catch (IllegalAccessException e) {
        continue;
      }
      if (property.equals("additionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(id + ": unknown field(s) " + extra.keySet() + " at " + path);
        }
        continue;
      }
      walk(value, path + "." + property, out, id, seen);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t.getMessage();
    return m == null ? t.toString() : m.lines().findFirst().orElse(m);
  }
}
