package io.sluice.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.LoggerFactory;

/** What a run leaves behind, as text to scan for planted values: topics (internal ones included) and log output. */
final class LeftBehind {

    private LeftBehind() {}

    /** Every topic on the broker, internal ones included, but the given inputs. */
    static Set<String> topicsExcept(String bootstrap, Set<String> inputs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> all = new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get());
            all.removeAll(inputs);
            return all;
        } catch (Exception e) {
            throw new AssertionError("cannot list topics", e);
        }
    }

    /** Every key, value and header of the topics, uncommitted and aborted records included, decoded as UTF-8. */
    static List<String> topicText(String bootstrap, Collection<String> topics) {
        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicContent.read(bootstrap, topics, "read_uncommitted")) {
            seen.add(text(r.key()) + " " + text(r.value()));
            for (Header h : r.headers()) {
                seen.add(h.key() + "=" + text(h.value()));
            }
        }
        return seen;
    }

    /** Starts capturing every log event of the process. */
    static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        return logs;
    }

    /** Stops capturing. */
    static void releaseLogs(ListAppender<ILoggingEvent> logs) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    /** The captured log output: messages and stack traces. */
    static String logText(ListAppender<ILoggingEvent> logs) {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            all.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                all.append(ThrowableProxyUtil.asString(event.getThrowableProxy()))
                        .append('\n');
            }
        }
        return all.toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
