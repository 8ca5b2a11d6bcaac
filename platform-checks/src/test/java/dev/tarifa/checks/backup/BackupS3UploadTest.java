package dev.tarifa.checks.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup.sh's upload to S3-compatible storage ({@code BACKUP_S3_URL}, {@code BACKUP_S3_ENDPOINT},
 * the aws CLI) against s3rver (tools/s3, a local S3-compatible server): a small PostgreSQL database
 * is backed up and every file of the backup folder must arrive under {@code
 * <prefix>/tarifa-<stamp>/} with the local file's size and bytes, the dump's sha256 as the manifest
 * states it. Retention is local only: the script never deletes remote backups (that is the bucket's
 * lifecycle rule, docs/OPERATIONS.md), so an old remote backup stays while the old local one goes.
 */
class BackupS3UploadTest {
  private static final String PG = "postgresql://postgres@127.0.0.1:5432/";
  private static final String DB = "s3backuptest_users";
  private static final String BUCKET = "tarifa-backups";
  private static final String OLD = "tarifa-20200101T000000Z";
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path tmp;
  private Process s3;
  private String endpoint;

  @BeforeEach
  void servers() throws Exception {
    Tools.require("pg_dump");
    Tools.require("psql");
    Tools.require("aws");
    Path s3rver =
        Tools.require(Tools.repoRoot().resolve("tools/s3/node_modules/.bin/s3rver").toString());
    psql("postgres", "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
    psql("postgres", "CREATE DATABASE " + DB);
    psql(
        DB,
        "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL); "
            + "INSERT INTO accounts SELECT i, 'user' || i || '@example.org' FROM generate_series(1, 250) i");

    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    Path data = Files.createDirectories(tmp.resolve("s3-data"));
    s3 =
        new ProcessBuilder(
                s3rver.toString(),
                "--directory",
                data.toString(),
                "--address",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--silent",
                "--no-vhost-buckets",
                "--configure-bucket",
                BUCKET)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("s3rver.log").toFile())
            .start();
    // Ready when the bucket lists (bounded: a cold node start on a busy machine takes a few
    // seconds).
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        if (get("/" + BUCKET + "?list-type=2").statusCode() == 200) break;
      } catch (IOException notYet) {
        // not listening yet
      }
      assertThat(s3.isAlive())
          .as("s3rver exited: " + Files.readString(tmp.resolve("s3rver.log")))
          .isTrue();
      assertThat(System.nanoTime()).as("s3rver not ready within 20 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (s3 != null) {
      s3.destroy();
      if (!s3.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) s3.destroyForcibly();
    }
    psql("postgres", "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
  }

  @Test
  void everyFileOfTheBackupArrivesUnchangedAndRemoteBackupsAreNotPruned() throws Exception {
    // An old backup on both sides: retention (newest 1 kept, older than 30 days deleted) removes
    // the local one only.
    byte[] oldManifest = "# tarifa backup 20200101T000000Z\n".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(endpoint + "/" + BUCKET + "/nightly/" + OLD + "/MANIFEST"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(oldManifest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    Path target = tmp.resolve("backups");
    Files.createDirectories(target.resolve(OLD));

    Map<String, String> env = new TreeMap<>();
    env.put("BACKUP_DIR", target.toString());
    env.put("BACKUP_SERVICES", "users");
    env.put("TARIFA_USERS_PG_URL", PG + DB);
    env.put("BACKUP_MONGO", "none");
    env.put("BACKUP_KEEP_MIN", "1");
    env.put("BACKUP_RETENTION_DAYS", "30");
    env.put("BACKUP_S3_URL", "s3://" + BUCKET + "/nightly/");
    env.put("BACKUP_S3_ENDPOINT", endpoint);
    // s3rver's fixed credentials; nothing from the machine's own AWS configuration.
    env.put("AWS_ACCESS_KEY_ID", "S3RVER");
    env.put("AWS_SECRET_ACCESS_KEY", "S3RVER");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", tmp.resolve("no-aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-aws-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    List<String> command = new ArrayList<>(List.of("env"));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(List.of("bash", Tools.repoRoot().resolve("tools/backup/backup.sh").toString()));
    Tools.Result backup = Tools.run(Tools.repoRoot(), 120, command);
    assertThat(backup.exitCode()).as(backup.output()).isZero();

    List<String> lines = backup.output().strip().lines().toList();
    Path folder = Path.of(lines.get(lines.size() - 1));
    String stampDir = folder.getFileName().toString();
    assertThat(stampDir).matches("tarifa-\\d{8}T\\d{6}Z");
    assertThat(backup.output())
        .contains("uploaded to s3://" + BUCKET + "/nightly/" + stampDir + "/");
    try (var list = Files.list(target)) {
      assertThat(list.map(p -> p.getFileName().toString()).toList())
          .as("local retention")
          .containsExactly(stampDir);
    }

    // The bucket: the new folder, file for file, plus the old remote backup untouched.
    Map<String, Long> remote = listSizes("nightly/");
    Map<String, Long> expected = new TreeMap<>();
    try (var files = Files.list(folder)) {
      for (Path f : files.toList())
        expected.put("nightly/" + stampDir + "/" + f.getFileName(), Files.size(f));
    }
    assertThat(expected)
        .containsOnlyKeys(
            "nightly/" + stampDir + "/MANIFEST", "nightly/" + stampDir + "/pg-users.dump");
    expected.put("nightly/" + OLD + "/MANIFEST", (long) oldManifest.length);
    assertThat(remote).isEqualTo(expected);

    for (String key : expected.keySet()) {
      if (key.contains(OLD)) continue;
      byte[] body =
          http.send(
                  HttpRequest.newBuilder(URI.create(endpoint + "/" + BUCKET + "/" + key)).build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body();
      assertThat(body)
          .as(key)
          .isEqualTo(Files.readAllBytes(folder.resolve(key.substring(key.lastIndexOf('/') + 1))));
    }
    // The manifest that arrived names the dump's checksum, and the dump that arrived has it.
    String manifest = get("/" + BUCKET + "/nightly/" + stampDir + "/MANIFEST").body();
    assertThat(manifest)
        .contains("postgres\t" + DB + "\tusers\tpg-users.dump\n")
        .contains("rows\t" + DB + "\tpublic.accounts\t250\n");
    Matcher sha = Pattern.compile("sha256\t-\tpg-users.dump\t([0-9a-f]{64})").matcher(manifest);
    assertThat(sha.find()).as(manifest).isTrue();
    byte[] dump =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            endpoint + "/" + BUCKET + "/nightly/" + stampDir + "/pg-users.dump"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dump)))
        .isEqualTo(sha.group(1));
  }

  /**
   * Key -> size of every object under the prefix (ListObjectsV2; s3rver answers anonymous reads).
   */
  private Map<String, Long> listSizes(String prefix) throws Exception {
    String xml = get("/" + BUCKET + "?list-type=2&prefix=" + prefix).body();
    assertThat(xml).contains("<IsTruncated>false</IsTruncated>");
    Map<String, Long> sizes = new TreeMap<>();
    Matcher m = Pattern.compile("<Key>([^<]+)</Key>.*?<Size>(\\d+)</Size>").matcher(xml);
    while (m.find()) sizes.put(m.group(1), Long.parseLong(m.group(2)));
    return sizes;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void psql(String database, String sql) {
    Tools.Result r =
        Tools.run(
            Tools.repoRoot(),
            60,
            List.of(
                "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "--dbname=" + PG + database,
                "-c",
                sql));
    assertThat(r.exitCode()).as(sql + ": " + r.output()).isZero();
  }
}
