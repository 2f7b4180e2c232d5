ALTER TABLE "results" ADD COLUMN "ood_test_acc" double precision;--> statement-breakpoint
UPDATE "results" SET "ood_test_acc" = ("bundle"->'summary'->>'ood_test_acc')::double precision WHERE "bundle"->'summary' ? 'ood_test_acc';
