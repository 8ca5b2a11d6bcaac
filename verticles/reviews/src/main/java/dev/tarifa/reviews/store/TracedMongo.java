package dev.tarifa.reviews.store;

import dev.tarifa.shared.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * MongoDB client spans, which the Vert.x Mongo client does not make: every call that returns a
 * future, made while a sampled span is current (a request, an event handler), is a CLIENT span
 * {@code <operation> <collection>} ({@code db.system} {@code mongodb}, {@code db.operation.name},
 * {@code db.collection.name}) ending with the call. Outside a sampled span, and always when tracing
 * is off, calls go straight to the client.
 */
public final class TracedMongo {
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");

  private TracedMongo() {}

  /**
   * {@code client} with spans when {@code vertx}'s tracing is on; {@code client} itself otherwise.
   */
  public static MongoClient wrap(Vertx vertx, MongoClient client) {
    Tracing tracing = Tracing.of(vertx);
    if (!tracing.enabled()) return client;
    Tracer tracer = tracing.tracer();
    return (MongoClient)
        Proxy.newProxyInstance(
            MongoClient.class.getClassLoader(),
            new Class<?>[] {MongoClient.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class)
                return objectMethod(client, proxy, method, args);
              if (!Future.class.isAssignableFrom(method.getReturnType())
                  || !Span.current().isRecording()) return invoke(client, method, args);
              String collection =
                  args != null && args.length > 0 && args[0] instanceof String s ? s : null;
              SpanBuilder b =
                  tracer
                      .spanBuilder(
                          collection == null
                              ? method.getName()
                              : method.getName() + " " + collection)
                      .setSpanKind(SpanKind.CLIENT)
                      .setAttribute(SYSTEM, "mongodb")
                      .setAttribute(OPERATION, method.getName());
              if (collection != null) b.setAttribute(COLLECTION, collection);
              Span span = b.startSpan();
              Future<?> result;
              try {
                result = (Future<?>) invoke(client, method, args);
              } catch (Throwable t) {
                span.setStatus(StatusCode.ERROR, String.valueOf(t.getMessage()));
                span.end();
                throw t;
              }
              return result.andThen(
                  ar -> {
                    if (ar.failed())
                      span.setStatus(StatusCode.ERROR, String.valueOf(ar.cause().getMessage()));
                    span.end();
                  });
            });
  }

  private static Object invoke(MongoClient client, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(client, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Object objectMethod(MongoClient client, Object proxy, Method method, Object[] args)
      throws Throwable {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> "TracedMongo[" + client + "]";
      default -> invoke(client, method, args);
    };
  }
}
