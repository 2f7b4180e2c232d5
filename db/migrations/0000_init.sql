CREATE TABLE "keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"name" text NOT NULL,
	"contact" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "keys_status_check" CHECK ("keys"."status" in ('pending', 'approved', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key_id" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_limits_key_id_window_start_pk" PRIMARY KEY("key_id","window_start")
);
--> statement-breakpoint
CREATE TABLE "result_epochs" (
	"result_id" text NOT NULL,
	"epoch" integer NOT NULL,
	"train_loss" double precision NOT NULL,
	"train_acc" double precision NOT NULL,
	"val_loss" double precision NOT NULL,
	"val_acc" double precision NOT NULL,
	"test_loss" double precision NOT NULL,
	"test_acc" double precision NOT NULL,
	"energy" double precision NOT NULL,
	"head_grad_norm" double precision NOT NULL,
	"feat_l2_dist" double precision NOT NULL,
	"feat_cos_sim" double precision NOT NULL,
	"feat_cos_dist" double precision NOT NULL,
	"feat_dot" double precision NOT NULL,
	"feat_norm" double precision NOT NULL,
	CONSTRAINT "result_epochs_result_id_epoch_pk" PRIMARY KEY("result_id","epoch")
);
--> statement-breakpoint
CREATE TABLE "results" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "results_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"envelope" "bytea" NOT NULL,
	"payload_sha256" text NOT NULL,
	"bundle" jsonb NOT NULL,
	"config" jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"suite_name" text NOT NULL,
	"suite_version" integer NOT NULL,
	"backbone" text NOT NULL,
	"dataset" text NOT NULL,
	"strategy" text NOT NULL,
	"strategy_version" integer NOT NULL,
	"tau" integer NOT NULL,
	"seed" integer NOT NULL,
	"key_id" text NOT NULL,
	"trust_tier" text NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"test_acc" double precision,
	"best_val_acc" double precision,
	"last_test_acc" double precision,
	"lp_test_acc" double precision,
	"best_epoch" integer,
	"aie" double precision,
	"feat_l2_dist" double precision,
	"feat_cos_dist" double precision,
	"feat_cos_sim" double precision,
	"feat_dot" double precision,
	"feat_norm" double precision,
	"wall_time_s" double precision,
	"samples_per_sec" double precision,
	"backend" text NOT NULL,
	"runner_version" text NOT NULL,
	CONSTRAINT "results_trust_tier_check" CHECK ("results"."trust_tier" in ('pending', 'signed', 'reproduced', 'disputed', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "suites" (
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"description" text NOT NULL,
	"definition" jsonb NOT NULL,
	"card" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suites_name_version_pk" PRIMARY KEY("name","version")
);
--> statement-breakpoint
ALTER TABLE "result_epochs" ADD CONSTRAINT "result_epochs_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_key_id_keys_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "keys_status_idx" ON "keys" USING btree ("status");--> statement-breakpoint
CREATE INDEX "rate_limits_window_idx" ON "rate_limits" USING btree ("window_start");--> statement-breakpoint
CREATE UNIQUE INDEX "results_payload_sha256_uq" ON "results" USING btree ("payload_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "results_seq_uq" ON "results" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "results_leaderboard_idx" ON "results" USING btree ("suite_name","suite_version","backbone","dataset","strategy");--> statement-breakpoint
CREATE INDEX "results_fingerprint_idx" ON "results" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "results_key_idx" ON "results" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "results_visible_idx" ON "results" USING btree ("trust_tier","hidden");