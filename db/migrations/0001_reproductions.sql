CREATE TABLE "reproductions" (
	"id" text PRIMARY KEY NOT NULL,
	"result_id" text NOT NULL,
	"key_id" text NOT NULL,
	"source" text NOT NULL,
	"envelope" "bytea" NOT NULL,
	"payload_sha256" text NOT NULL,
	"bundle" jsonb NOT NULL,
	"verdict" text NOT NULL,
	"claimed_verdict" text,
	"comparison" jsonb NOT NULL,
	"backend" text NOT NULL,
	"runner_version" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reproductions_verdict_check" CHECK ("reproductions"."verdict" in ('exact', 'within', 'differs')),
	CONSTRAINT "reproductions_source_check" CHECK ("reproductions"."source" in ('statement', 'result'))
);
--> statement-breakpoint
ALTER TABLE "reproductions" ADD CONSTRAINT "reproductions_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reproductions" ADD CONSTRAINT "reproductions_key_id_keys_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reproductions_payload_sha256_uq" ON "reproductions" USING btree ("payload_sha256");--> statement-breakpoint
CREATE INDEX "reproductions_result_idx" ON "reproductions" USING btree ("result_id");--> statement-breakpoint
CREATE INDEX "reproductions_key_idx" ON "reproductions" USING btree ("key_id");