CREATE TABLE "leaderboard_observations" (
	"fingerprint" text NOT NULL,
	"seed" integer NOT NULL,
	"view" text NOT NULL,
	"suite_name" text NOT NULL,
	"suite_version" integer NOT NULL,
	"result_id" text NOT NULL,
	"backbone" text NOT NULL,
	"dataset" text NOT NULL,
	"strategy" text NOT NULL,
	"tau" integer NOT NULL,
	"eta" double precision,
	"temperature" double precision,
	"trust_tier" text NOT NULL,
	"test_acc" double precision NOT NULL,
	"best_val_acc" double precision,
	"aie" double precision,
	"feat_l2_dist" double precision,
	"feat_cos_dist" double precision,
	"feat_dot" double precision,
	"feat_norm" double precision,
	"ood_test_acc" double precision,
	"lp_test_acc" double precision,
	"copies" integer NOT NULL,
	"copies_ranked" integer NOT NULL,
	CONSTRAINT "leaderboard_observations_fingerprint_seed_view_pk" PRIMARY KEY("fingerprint","seed","view"),
	CONSTRAINT "leaderboard_observations_view_check" CHECK ("leaderboard_observations"."view" in ('ranked', 'reproduced'))
);
--> statement-breakpoint
CREATE TABLE "leaderboard_stamps" (
	"suite_name" text NOT NULL,
	"suite_version" integer NOT NULL,
	"results" integer NOT NULL,
	"stamp" bigint NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leaderboard_stamps_suite_name_suite_version_pk" PRIMARY KEY("suite_name","suite_version")
);
--> statement-breakpoint
CREATE INDEX "leaderboard_observations_suite_idx" ON "leaderboard_observations" USING btree ("suite_name","suite_version","view");--> statement-breakpoint
CREATE INDEX "results_pair_idx" ON "results" USING btree ("fingerprint","seed");--> statement-breakpoint
-- The observation table is derived from results by the view and functions below (db/schema/index.ts
-- leaderboardObservations states the rule). The tier lists are the schema's RANKED_TIERS plus
-- 'pending'; test/integration/db/queries/observations.test.ts checks the table against a full
-- recomputation from the result rows. The view's columns are the table's, in order; a filter on
-- (fingerprint, seed) reaches the results_pair_idx scan (it names only partition and DISTINCT ON
-- columns).
CREATE VIEW headprep_observation_rows AS
  SELECT DISTINCT ON (x.fingerprint, x.seed, x.view)
         x.fingerprint, x.seed, x.view, x.suite_name, x.suite_version, x.id AS result_id, x.backbone, x.dataset, x.strategy, x.tau,
         (x.config->>'eta')::float8 AS eta, (x.config->>'temperature')::float8 AS temperature,
         x.trust_tier, x.test_acc, x.best_val_acc, x.aie, x.feat_l2_dist, x.feat_cos_dist, x.feat_dot, x.feat_norm, x.ood_test_acc, x.lp_test_acc,
         x.copies::int AS copies, x.copies_ranked::int AS copies_ranked
    FROM (
      SELECT v.view, r.id, r.seq, r.fingerprint, r.seed, r.suite_name, r.suite_version, r.backbone, r.dataset, r.strategy, r.tau, r.config, r.trust_tier,
             r.test_acc, r.best_val_acc, r.aie, r.feat_l2_dist, r.feat_cos_dist, r.feat_dot, r.feat_norm, r.ood_test_acc, r.lp_test_acc,
             count(*) OVER w AS copies, count(*) FILTER (WHERE r.trust_tier <> 'pending') OVER w AS copies_ranked
        FROM results r
        JOIN (VALUES ('ranked'), ('reproduced')) AS v(view)
          ON CASE v.view WHEN 'ranked' THEN r.trust_tier IN ('signed', 'reproduced', 'disputed', 'pending') ELSE r.trust_tier = 'reproduced' END
       WHERE r.status = 'ok' AND NOT r.hidden AND r.test_acc IS NOT NULL
      WINDOW w AS (PARTITION BY r.fingerprint, r.seed, v.view)
    ) x
   ORDER BY x.fingerprint, x.seed, x.view, (x.trust_tier = 'pending'), x.seq;
--> statement-breakpoint
CREATE FUNCTION headprep_refresh_observation(fp text, sd integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM leaderboard_observations WHERE fingerprint = fp AND seed = sd;
  INSERT INTO leaderboard_observations SELECT * FROM headprep_observation_rows o WHERE o.fingerprint = fp AND o.seed = sd;
END $$;
--> statement-breakpoint
-- Row trigger: re-derives the observation rows of the changed result's (fingerprint, seed). The
-- advisory lock orders two writers of one pair: the second re-derives only after the first
-- committed, and its statements (each with a fresh snapshot) see the first's result.
CREATE FUNCTION headprep_results_observe() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_advisory_xact_lock(hashtext(OLD.fingerprint), OLD.seed);
    PERFORM headprep_refresh_observation(OLD.fingerprint, OLD.seed);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.fingerprint <> NEW.fingerprint OR OLD.seed <> NEW.seed)) THEN
    PERFORM pg_advisory_xact_lock(hashtext(NEW.fingerprint), NEW.seed);
    PERFORM headprep_refresh_observation(NEW.fingerprint, NEW.seed);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Statement trigger: bumps the change stamp (and the result count) of every suite version the
-- statement changed, once per statement and after its row locks, so it adds no lock-order cycle.
CREATE FUNCTION headprep_results_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO leaderboard_stamps AS s (suite_name, suite_version, results, stamp, changed_at)
    SELECT suite_name, suite_version, count(*)::int, 1, clock_timestamp() FROM new_rows GROUP BY suite_name, suite_version ORDER BY 1, 2
    ON CONFLICT (suite_name, suite_version) DO UPDATE SET results = s.results + excluded.results, stamp = s.stamp + 1, changed_at = excluded.changed_at;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE leaderboard_stamps s SET results = s.results - d.n, stamp = s.stamp + 1, changed_at = clock_timestamp()
      FROM (SELECT suite_name, suite_version, count(*)::int AS n FROM old_rows GROUP BY suite_name, suite_version) d
     WHERE s.suite_name = d.suite_name AND s.suite_version = d.suite_version;
  ELSE
    INSERT INTO leaderboard_stamps AS s (suite_name, suite_version, results, stamp, changed_at)
    SELECT suite_name, suite_version, sum(delta)::int, 1, clock_timestamp() FROM (
      SELECT n.suite_name, n.suite_version, CASE WHEN (o.suite_name, o.suite_version) = (n.suite_name, n.suite_version) THEN 0 ELSE 1 END AS delta
        FROM old_rows o JOIN new_rows n ON n.id = o.id
       WHERE (o.trust_tier, o.hidden, o.status, o.fingerprint, o.seed, o.suite_name, o.suite_version, o.backbone, o.dataset, o.strategy, o.tau,
              o.test_acc, o.best_val_acc, o.aie, o.feat_l2_dist, o.feat_cos_dist, o.feat_dot, o.feat_norm, o.ood_test_acc, o.lp_test_acc)
             IS DISTINCT FROM
             (n.trust_tier, n.hidden, n.status, n.fingerprint, n.seed, n.suite_name, n.suite_version, n.backbone, n.dataset, n.strategy, n.tau,
              n.test_acc, n.best_val_acc, n.aie, n.feat_l2_dist, n.feat_cos_dist, n.feat_dot, n.feat_norm, n.ood_test_acc, n.lp_test_acc)
      UNION ALL
      SELECT o.suite_name, o.suite_version, -1 FROM old_rows o JOIN new_rows n ON n.id = o.id
       WHERE (o.suite_name, o.suite_version) <> (n.suite_name, n.suite_version)
    ) c GROUP BY suite_name, suite_version ORDER BY 1, 2
    ON CONFLICT (suite_name, suite_version) DO UPDATE SET results = s.results + excluded.results, stamp = s.stamp + 1, changed_at = excluded.changed_at;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER results_observe_insert_delete AFTER INSERT OR DELETE ON results FOR EACH ROW EXECUTE FUNCTION headprep_results_observe();
--> statement-breakpoint
CREATE TRIGGER results_observe_update AFTER UPDATE ON results FOR EACH ROW
  WHEN ((OLD.trust_tier, OLD.hidden, OLD.status, OLD.fingerprint, OLD.seed, OLD.suite_name, OLD.suite_version, OLD.backbone, OLD.dataset, OLD.strategy, OLD.tau,
         OLD.test_acc, OLD.best_val_acc, OLD.aie, OLD.feat_l2_dist, OLD.feat_cos_dist, OLD.feat_dot, OLD.feat_norm, OLD.ood_test_acc, OLD.lp_test_acc)
        IS DISTINCT FROM
        (NEW.trust_tier, NEW.hidden, NEW.status, NEW.fingerprint, NEW.seed, NEW.suite_name, NEW.suite_version, NEW.backbone, NEW.dataset, NEW.strategy, NEW.tau,
         NEW.test_acc, NEW.best_val_acc, NEW.aie, NEW.feat_l2_dist, NEW.feat_cos_dist, NEW.feat_dot, NEW.feat_norm, NEW.ood_test_acc, NEW.lp_test_acc))
  EXECUTE FUNCTION headprep_results_observe();
--> statement-breakpoint
CREATE TRIGGER results_stamp_insert AFTER INSERT ON results REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION headprep_results_stamp();
--> statement-breakpoint
CREATE TRIGGER results_stamp_update AFTER UPDATE ON results REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION headprep_results_stamp();
--> statement-breakpoint
CREATE TRIGGER results_stamp_delete AFTER DELETE ON results REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION headprep_results_stamp();
--> statement-breakpoint
-- Rebuilds the whole table and every stamp from the result rows, in one statement each: the
-- backfill of an existing database (below), and what a bulk load that bypassed the trigger runs.
CREATE FUNCTION headprep_rebuild_observations() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM leaderboard_observations;
  INSERT INTO leaderboard_observations SELECT * FROM headprep_observation_rows;
  INSERT INTO leaderboard_stamps AS s (suite_name, suite_version, results, stamp, changed_at)
  SELECT suite_name, suite_version, count(*)::int, 1, clock_timestamp() FROM results GROUP BY suite_name, suite_version
  ON CONFLICT (suite_name, suite_version) DO UPDATE SET results = excluded.results, stamp = s.stamp + 1, changed_at = excluded.changed_at;
  UPDATE leaderboard_stamps s SET results = 0, stamp = s.stamp + 1, changed_at = clock_timestamp()
   WHERE s.results <> 0 AND NOT EXISTS (SELECT 1 FROM results r WHERE r.suite_name = s.suite_name AND r.suite_version = s.suite_version);
END $$;
--> statement-breakpoint
SELECT headprep_rebuild_observations();
