package dev.tarifa.reviews;

import dev.tarifa.shared.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Backs up and restores the reviews database without the MongoDB database tools (Debian has no
 * mongo-tools package), through the same Vert.x MongoDB client the service uses, so it works
 * against MongoDB and against the in-memory MongoDB-wire server alike.
 *
 * <p>The archive is gzipped JSON lines, one document per line: {@code
 * {"c":"<collection>","d":<document>}}, the document in the client's Extended JSON form ({@code
 * $date}, {@code $oid}, {@code $binary}). Indexes are not archived: the service creates them at
 * start-up.
 *
 * <pre>
 *   java -cp tarifa-reviews-all.jar dev.tarifa.reviews.ReviewsArchive export &lt;file&gt;
 *   java -cp tarifa-reviews-all.jar dev.tarifa.reviews.ReviewsArchive import &lt;file&gt;
 * </pre>
 *
 * The server and database come from {@code TARIFA_MONGO_URL} and {@code TARIFA_MONGO_DATABASE} as
 * for the service. Export prints one {@code <collection> <count>} line per collection on standard
 * output. Import refuses a database that already holds documents in a collection of the archive
 * (restore into a fresh database).
 */
public final class ReviewsArchive {
  private static final int PAGE = 1000;
  private static final long TIMEOUT_SECONDS = 120;

  private ReviewsArchive() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("export") || args[0].equals("import"))) {
      System.err.println("usage: ReviewsArchive export|import <file.jsonl.gz>");
      System.exit(2);
      return;
    }
    ReviewsConfig config = ReviewsConfig.fromEnv(Env.system());
    Vertx vertx = Vertx.builder().build();
    MongoClient mongo = MongoClient.create(vertx, ReviewsVerticle.mongoConfig(config));
    int status = 0;
    try {
      Path file = Path.of(args[1]);
      Map<String, Long> counts =
          args[0].equals("export") ? export(mongo, file) : restore(mongo, file);
      counts.forEach((collection, n) -> System.out.println(collection + " " + n));
    } catch (Exception e) {
      System.err.println("reviews archive " + args[0] + " failed: " + e.getMessage());
      status = 1;
    } finally {
      mongo.close();
      vertx.close();
    }
    System.exit(status);
  }

  /**
   * Writes every collection of the database to {@code file}; returns the document count per
   * collection.
   */
  static Map<String, Long> export(MongoClient mongo, Path file) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    List<String> collections = new ArrayList<>(await(mongo.getCollections()));
    collections.sort(null);
    try (BufferedWriter out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
      for (String collection : collections) {
        long n = 0;
        Object lastId = null;
        // Pages in _id order, so the main thread does the file writes and no event loop is blocked.
        while (true) {
          JsonObject query =
              lastId == null
                  ? new JsonObject()
                  : new JsonObject().put("_id", new JsonObject().put("$gt", lastId));
          List<JsonObject> page =
              await(
                  mongo.findWithOptions(
                      collection,
                      query,
                      new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(PAGE)));
          for (JsonObject doc : page) {
            out.write(new JsonObject().put("c", collection).put("d", doc).encode());
            out.write('\n');
          }
          n += page.size();
          if (page.size() < PAGE) break;
          lastId = page.get(page.size() - 1).getValue("_id");
        }
        counts.put(collection, n);
      }
    }
    return counts;
  }

  /**
   * Inserts the archive's documents; fails if a collection of the archive already holds documents.
   */
  static Map<String, Long> restore(MongoClient mongo, Path file) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, List<BulkOperation>> batches = new LinkedHashMap<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        JsonObject entry = new JsonObject(line);
        String collection = entry.getString("c");
        if (!counts.containsKey(collection)) {
          long existing = await(mongo.count(collection, new JsonObject()));
          if (existing > 0) {
            throw new IOException(
                "collection "
                    + collection
                    + " already holds "
                    + existing
                    + " documents: restore into a fresh database (TARIFA_MONGO_DATABASE)");
          }
          counts.put(collection, 0L);
        }
        List<BulkOperation> batch = batches.computeIfAbsent(collection, c -> new ArrayList<>());
        batch.add(BulkOperation.createInsert(entry.getJsonObject("d")));
        counts.merge(collection, 1L, Long::sum);
        if (batch.size() >= PAGE) {
          await(mongo.bulkWrite(collection, batch));
          batch.clear();
        }
      }
    }
    for (Map.Entry<String, List<BulkOperation>> e : batches.entrySet()) {
      if (!e.getValue().isEmpty()) await(mongo.bulkWrite(e.getKey(), e.getValue()));
    }
    return counts;
  }

  private static <T> T await(Future<T> future)
      throws IOException, InterruptedException, TimeoutException {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }
}
