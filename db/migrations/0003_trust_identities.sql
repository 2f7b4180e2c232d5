CREATE TABLE "identities" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "results" DROP CONSTRAINT "results_trust_tier_check";--> statement-breakpoint
ALTER TABLE "keys" ADD COLUMN "identity_id" text;--> statement-breakpoint
ALTER TABLE "reproductions" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "reproductions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "dispute_review" text;--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "keys" ADD CONSTRAINT "keys_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "keys_identity_idx" ON "keys" USING btree ("identity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reproductions_seq_uq" ON "reproductions" USING btree ("seq");--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_dispute_review_check" CHECK ("results"."dispute_review" in ('confirmed', 'cleared'));--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_trust_tier_check" CHECK ("results"."trust_tier" in ('pending', 'signed', 'reproduced', 'disputed', 'refuted', 'revoked'));--> statement-breakpoint
INSERT INTO "identities" ("id", "name", "created_at") SELECT "key_id", "name", coalesce("approved_at", "created_at") FROM "keys" WHERE "status" <> 'pending';--> statement-breakpoint
UPDATE "keys" SET "identity_id" = "key_id" WHERE "status" <> 'pending';
--> statement-breakpoint
UPDATE "results" AS r SET "trust_tier" = (SELECT CASE WHEN d.n >= 2 THEN 'refuted' WHEN d.n >= 1 THEN 'disputed' WHEN a.n >= 1 THEN 'reproduced' ELSE 'signed' END
  FROM (SELECT count(DISTINCT coalesce(k."identity_id", k."key_id")) AS n FROM "reproductions" p JOIN "keys" k ON k."key_id" = p."key_id"
         WHERE p."result_id" = r."id" AND k."status" = 'approved' AND p."verdict" = 'differs'
           AND coalesce(k."identity_id", k."key_id") <> (SELECT coalesce(o."identity_id", o."key_id") FROM "keys" o WHERE o."key_id" = r."key_id")) AS d,
       (SELECT count(DISTINCT coalesce(k."identity_id", k."key_id")) AS n FROM "reproductions" p JOIN "keys" k ON k."key_id" = p."key_id"
         WHERE p."result_id" = r."id" AND k."status" = 'approved' AND p."verdict" IN ('exact', 'within')
           AND coalesce(k."identity_id", k."key_id") <> (SELECT coalesce(o."identity_id", o."key_id") FROM "keys" o WHERE o."key_id" = r."key_id")) AS a)
  WHERE r."trust_tier" IN ('signed', 'reproduced', 'disputed');
