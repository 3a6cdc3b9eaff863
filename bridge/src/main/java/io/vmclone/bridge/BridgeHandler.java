package io.vmclone.bridge;

import io.vmclone.bridge.auth.Authorizer;
import io.vmclone.bridge.auth.CachingAuthorizer;
import io.vmclone.bridge.auth.KubernetesAuthorizer;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.bridge.intake.CloneMaterializer;
import io.vmclone.bridge.intake.IntakeConsumer;
import io.vmclone.bridge.intake.IntakeRejections;
import io.vmclone.bridge.intake.IntakeTrust;
import io.vmclone.bridge.intake.RequestCheck;
import io.vmclone.bridge.intake.RequestIntake;
import io.vmclone.bridge.intake.RequestLedger;
import io.vmclone.bridge.sets.CloneSetController;
import io.vmclone.runtime.EventLogFollower;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.EventSink;
import io.vmclone.runtime.Readiness;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.runtime.UndecodableRecord;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge: the only door into the pipeline. Watches VirtualMachineClone resources, consumes the intake
 * topic and serves the HTTP endpoint; everything that comes in is validated (and, for a named requester,
 * authorized) before a {@code requested} event is written. External requests become clone resources, so
 * every clone takes the same path: resource → watcher → {@code requested}.
 */
public final class BridgeHandler implements StageHandler, Readiness {
    public static final String STAGE = SettingsCatalogue.BRIDGE;
    private static final Logger log = LoggerFactory.getLogger(BridgeHandler.class);
    /** How long the first reading of the log may take before the bridge gives up starting. */
    private static final java.time.Duration FIRST_READ = java.time.Duration.ofMinutes(5);

    private final StageContext ctx;
    private final BridgeSettings settings;
    private final CloneResourceWatcher watcher;
    private final CloneSetController sets;
    private final RequestIntake intake;
    private final IntakeConsumer consumer;
    private final IntakeRejections rejections = new IntakeRejections();
    private final Authorizer authorizer;
    private final RequestLedger ledger;
    private final EventLogFollower follower;
    private final Clock clock;
    private volatile HttpIntakeServer http;
    private WatchLeadership leadership;

    public BridgeHandler(StageContext ctx) {
        this(ctx, new KubernetesAuthorizer(ctx.kube(), BridgeSettings.from(ctx.settings()).tokenAudiences()));
    }

    /** {@code reviews} answers TokenReviews and SubjectAccessReviews; its positive answers are reused for a few seconds. */
    public BridgeHandler(StageContext ctx, Authorizer reviews) {
        this.ctx = ctx;
        this.settings = BridgeSettings.from(ctx.settings());
        this.clock = ctx.clock();
        this.authorizer = new CachingAuthorizer(reviews, clock, settings.door().reviewCacheTtl(), settings.door().reviewCacheEntries(),
                ctx.metrics());
        String group = ctx.settings().cloneGroup();
        this.watcher = new CloneResourceWatcher(ctx.kube(), group, ctx.settings().namespaces(), new CloneRequestDecider(), clock);
        this.sets = new CloneSetController(ctx.kube(), group, ctx.settings().namespaces(), clock);
        this.ledger = new RequestLedger(settings.rememberedRequests());
        // Every replica follows the whole log, so what any replica (or an earlier run) materialised is known here.
        this.follower = settings.replayLog()
                ? new EventLogFollower(ctx.settings(), RequestLedger.LOGGED_TYPES, logged -> ledger.learn(logged.event())) : null;
        this.intake = new RequestIntake(new RequestCheck(ctx.settings().namespaces()), authorizer,
                new CloneMaterializer(ctx.kube(), group, ctx.settings().namespaces(), ledger,
                        follower == null ? CloneMaterializer.CommittedLog.NONE : follower::awaitCurrent));
        IntakeTrust trust = BridgeSettings.intakeTrust(ctx.settings());
        log.info("bridge: {}", trust.summary());
        this.consumer = new IntakeConsumer(intake, trust, rejections, clock);
        ctx.metrics().gauge("vmclone.bridge.requests.remembered", ledger, RequestLedger::size);
        ctx.metrics().more().counter("vmclone.bridge.requests.forgotten", List.of(), ledger, RequestLedger::forgotten);
    }

    @Override
    public Set<EventType> accepts() {
        return EnumSet.of(EventType.REQUEST);
    }

    @Override
    public List<String> topics(Topics topics) {
        return List.of(topics.intake());
    }

    /** The intake topic carries requests only: anything else on it is refused, not skipped. */
    @Override
    public boolean requiresAcceptedTypes(String topic) {
        return true;
    }

    @Override
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws Exception {
        return consumer.handle(event, position);
    }

    /** The record is dead-lettered by the runtime; the log says why the request went nowhere. */
    @Override
    public List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
        return event.type() == EventType.REQUEST ? List.of(rejections.gaveUp(event, error, OffsetDateTime.now(clock))) : List.of();
    }

    @Override
    public List<CloneEvent> onUndecodable(UndecodableRecord record) {
        return List.of(rejections.undecodable(record, OffsetDateTime.now(clock)));
    }

    @Override
    public void start(EventSink sink) {
        if (follower != null) {
            // No request is answered before the requests on the log are known (else a replay right after a restart
            // would be taken for a new request).
            if (!follower.start().awaitCurrent(FIRST_READ)) {
                throw new IllegalStateException("the event log could not be read to its end within " + FIRST_READ);
            }
            log.info("bridge: {} external request(s) known from the event log", ledger.size());
        }
        if (settings.leadership().enabled()) {
            leadership = new WatchLeadership(ctx.kube(), settings.leadership(), ctx.settings().instanceId());
            leadership.start(() -> watch(sink), () -> {
                watcher.close();
                sets.close();
            });
        } else {
            watch(sink);
        }
        if (settings.httpPort() >= 0) {
            try {
                http = new HttpIntakeServer(new java.net.InetSocketAddress(settings.httpHost(), settings.httpPort()),
                        settings.maxRequestBytes(), settings.door(), authorizer, intake, ctx.settings().cloneGroup(), ctx.metrics());
                if (http.tls()) {
                    log.info("bridge: clone requests accepted on https port {}{} (certificate {})", http.port(), HttpIntakeServer.PATH,
                            settings.door().tls().certFile());
                } else {
                    log.warn("bridge: clone requests accepted on PLAIN http port {}{} ({}=true): bearer tokens cross the network "
                            + "in clear unless a proxy or mesh in front encrypts them", http.port(), HttpIntakeServer.PATH,
                            BridgeSettings.ENV_PLAIN_HTTP);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not open the bridge's http port " + settings.httpPort(), e);
            }
        }
    }

    /**
     * Starts watching clones. The event log is read each time (at start, or when this replica becomes the
     * leader): the clones decided so far, by any replica, are never requested again.
     */
    private void watch(EventSink sink) {
        RequestedClones fromLog = settings.replayLog() ? RequestedClones.fromLog(new EventLogReader(ctx.settings()).mustExist())
                : RequestedClones.none();
        log.info("bridge: {} clone(s) already decided according to the event log, {} unfinished", fromLog.decided().size(),
                fromLog.unfinished().size());
        watcher.start(sink, fromLog);
        sets.start();
    }

    /**
     * Not ready while this replica leads but does not watch (its watch broken, say): it holds the Lease, so no
     * other replica would request the clones created meanwhile.
     */
    @Override
    public boolean ready() {
        WatchLeadership l = leadership;
        return l == null ? watching() : l.healthy(this::watching);
    }

    private boolean watching() {
        return watcher.watching() && sets.watching();
    }

    /** This replica's part in the leader election (null when election is switched off). */
    WatchLeadership leadership() {
        return leadership;
    }

    /** The HTTP endpoint's port, or -1 while it is not (or never) listening. */
    public int httpPort() {
        HttpIntakeServer s = http;
        return s == null ? -1 : s.port();
    }

    @Override
    public void stop() {
        if (leadership != null) {
            leadership.close();
        }
        watcher.close();
        sets.stop();
        if (follower != null) {
            follower.close();
        }
        HttpIntakeServer s = http;
        if (s != null) {
            s.close();
        }
    }
}
