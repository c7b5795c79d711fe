-- CreateTable
CREATE TABLE "training_scenario" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "source_note" TEXT NOT NULL DEFAULT '',
    "pack_id" TEXT,
    "events" JSONB NOT NULL,
    "expected_verdict" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_scenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_assignment" (
    "id" UUID NOT NULL,
    "scenario_id" UUID NOT NULL,
    "trainee_id" TEXT NOT NULL,
    "assigned_by" TEXT,
    "status" TEXT NOT NULL DEFAULT 'assigned',
    "score" INTEGER,
    "max_score" INTEGER,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "training_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_action" (
    "id" BIGSERIAL NOT NULL,
    "assignment_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "step_id" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "correct" BOOLEAN,
    "points" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "training_action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guide_tip" (
    "id" UUID NOT NULL,
    "step_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "visible_to_all" BOOLEAN NOT NULL DEFAULT false,
    "author_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guide_tip_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "training_scenario_pack_id_key" ON "training_scenario"("pack_id");

-- CreateIndex
CREATE INDEX "training_assignment_trainee_id_status_idx" ON "training_assignment"("trainee_id", "status");

-- CreateIndex
CREATE INDEX "training_assignment_scenario_id_idx" ON "training_assignment"("scenario_id");

-- CreateIndex
CREATE INDEX "training_action_assignment_id_at_idx" ON "training_action"("assignment_id", "at");

-- CreateIndex
CREATE INDEX "guide_tip_step_id_idx" ON "guide_tip"("step_id");

-- AddForeignKey
ALTER TABLE "training_assignment" ADD CONSTRAINT "training_assignment_scenario_id_fkey" FOREIGN KEY ("scenario_id") REFERENCES "training_scenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_action" ADD CONSTRAINT "training_action_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "training_assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
