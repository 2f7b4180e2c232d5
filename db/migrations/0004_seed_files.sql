CREATE TABLE "seed_files" (
	"sha256" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"envelopes" integer NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
