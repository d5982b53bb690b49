/**
 * Stage-calculated properties HubSpot maintains for every lifecycle stage (custom stages included):
 * hs_v2_date_entered_<stage>, hs_v2_date_exited_<stage>, hs_v2_latest_time_in_<stage>,
 * hs_v2_cumulative_time_in_<stage> (https://knowledge.hubspot.com/properties/stage-calculated-properties).
 */
export const STAGE_PROPERTY_KINDS = ['date_entered', 'date_exited', 'latest_time_in', 'cumulative_time_in'] as const;
export type StagePropertyKind = (typeof STAGE_PROPERTY_KINDS)[number];

export function stageProperty(kind: StagePropertyKind, stage: string): string {
  return `hs_v2_${kind}_${stage}`;
}

const PATTERN = /^hs_v2_(date_entered|date_exited|latest_time_in|cumulative_time_in)_(.+)$/;

export function parseStageProperty(name: string): { kind: StagePropertyKind; stage: string } | undefined {
  const match = PATTERN.exec(name);
  if (!match) return undefined;
  return { kind: match[1] as StagePropertyKind, stage: match[2] as string };
}
