/**
 * A detector's settings: everything the letterbox and the output decoder need to know about one model, in one
 * object. They are told from the graph where it tells (input shape, output shape, Ultralytics metadata) and
 * otherwise default to what Ultralytics exports expect; any field can be overridden (a model the graph says
 * nothing about, e.g. a YOLOX export: BGR, 0–255, top-left padding).
 */
import { SW_INFERENCE_SETTINGS_INVALID } from './errors.js';
import { detectLayout, OUTPUT_LAYOUTS, verifyLayoutFits, type OutputLayout } from './detect/output-layout.js';
import type { YoloMetadata } from './onnx/metadata.js';

export type ChannelOrder = 'rgb' | 'bgr';
/** What a pixel byte becomes before mean/std: `0-1` divides by 255, `0-255` keeps the byte value. */
export type PixelRange = '0-1' | '0-255';
/** Where the resized image sits in the model input: centred (Ultralytics) or in the top-left corner (YOLOX). */
export type LetterboxPlacement = 'centre' | 'top-left';

export const CHANNEL_ORDERS: readonly ChannelOrder[] = ['rgb', 'bgr'];
export const PIXEL_RANGES: readonly PixelRange[] = ['0-1', '0-255'];
export const LETTERBOX_PLACEMENTS: readonly LetterboxPlacement[] = ['centre', 'top-left'];

export type Triple = readonly [number, number, number];

export interface InputSettings {
  /** Model input width, pixels. */
  width: number;
  /** Model input height, pixels. */
  height: number;
  /** Order of the three planes of the NCHW tensor. */
  channelOrder: ChannelOrder;
  pixelRange: PixelRange;
  /** Subtracted per plane (in the model's channel order, in pixelRange units) before dividing by std. */
  mean: Triple;
  /** Divides per plane (in the model's channel order, in pixelRange units). */
  std: Triple;
  placement: LetterboxPlacement;
  /** Grey level of the padding, a pixel byte 0–255 (normalised like the image). */
  padValue: number;
}

export interface OutputSettings {
  layout: OutputLayout;
}

export interface ModelSettings {
  input: InputSettings;
  output: OutputSettings;
}

/** Fields to force instead of telling them from the graph. */
export interface ModelSettingsOverrides {
  input?: Partial<InputSettings>;
  output?: Partial<OutputSettings>;
}

/** Ultralytics (YOLOv5/v8/11, YOLO26) preprocessing: RGB, 0–1, no mean/std, centred, padded with 114. */
export const ULTRALYTICS_INPUT: Omit<InputSettings, 'width' | 'height'> = {
  channelOrder: 'rgb',
  pixelRange: '0-1',
  mean: [0, 0, 0],
  std: [1, 1, 1],
  placement: 'centre',
  padValue: 114,
};

/** Input size when neither the graph nor the metadata gives one. */
export const DEFAULT_INPUT_SIZE = 640;

/** What the graph says about itself. */
export interface GraphFacts {
  /** The image input's shape, [1, 3, H, W]; strings for dynamic axes. */
  inputShape: ReadonlyArray<number | string>;
  /** The first output's shape (numbers only: probed with a run when the graph leaves axes dynamic). */
  outputShape: readonly number[];
  metadata: YoloMetadata;
  /** Classes the model is known to have (names from metadata, config or manifest); 80 (COCO) when unknown. */
  classCount?: number;
}

const fixed = (v: number | string | undefined): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);
/** An override left undefined keeps what was told, rather than erasing it. */
const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Input settings from the input shape and metadata, then the overrides on top (not yet verified). */
export function resolveInputSettings(inputShape: GraphFacts['inputShape'], metadata: YoloMetadata, overrides: Partial<InputSettings> = {}): InputSettings {
  const input: InputSettings = {
    width: fixed(inputShape[3]) ?? metadata.imgsz?.[1] ?? DEFAULT_INPUT_SIZE,
    height: fixed(inputShape[2]) ?? metadata.imgsz?.[0] ?? DEFAULT_INPUT_SIZE,
    ...ULTRALYTICS_INPUT,
    ...defined(overrides),
  };
  // A graph with a fixed input size cannot be fed another one.
  for (const [axis, key] of [[3, 'width'], [2, 'height']] as const) {
    const size = fixed(inputShape[axis]);
    if (size !== undefined && input[key] !== size) throw SW_INFERENCE_SETTINGS_INVALID([`input -> ${key}`, input[key], `${size}: the graph's input is fixed at that size`]);
  }
  return input;
}

/** The settings of one model: from its graph facts, then the overrides on top. Throws SW_INFERENCE_SETTINGS_INVALID. */
export function resolveModelSettings(facts: GraphFacts, overrides: ModelSettingsOverrides = {}): ModelSettings {
  const input = resolveInputSettings(facts.inputShape, facts.metadata, overrides.input);
  const end2end = facts.metadata.end2end;
  const layout = overrides.output?.layout ?? facts.metadata.layout ?? detectLayout(facts.outputShape, { numClasses: facts.classCount ?? 80, ...(end2end === undefined ? {} : { end2end }) });
  const settings: ModelSettings = { input, output: { layout } };
  verifyModelSettings(settings);
  verifyLayoutFits(layout, facts.outputShape, input);
  return settings;
}

const bad = (path: string, value: unknown, expected: string) => SW_INFERENCE_SETTINGS_INVALID([path, JSON.stringify(value) ?? String(value), expected]);

/** Bounds of every field; throws SW_INFERENCE_SETTINGS_INVALID naming the first bad one. */
export function verifyModelSettings(settings: ModelSettings): void {
  verifyInputSettings(settings.input);
  if (!OUTPUT_LAYOUTS.includes(settings.output.layout)) throw bad('output -> layout', settings.output.layout, OUTPUT_LAYOUTS.join(', '));
}

/** Bounds of the input fields (see verifyModelSettings). */
export function verifyInputSettings(input: InputSettings): void {
  for (const key of ['width', 'height'] as const) {
    if (!Number.isInteger(input[key]) || input[key] < 1 || input[key] > 8192) throw bad(`input -> ${key}`, input[key], 'an integer from 1 to 8192 pixels');
  }
  if (!CHANNEL_ORDERS.includes(input.channelOrder)) throw bad('input -> channelOrder', input.channelOrder, CHANNEL_ORDERS.join(' or '));
  if (!PIXEL_RANGES.includes(input.pixelRange)) throw bad('input -> pixelRange', input.pixelRange, PIXEL_RANGES.join(' or '));
  if (!LETTERBOX_PLACEMENTS.includes(input.placement)) throw bad('input -> placement', input.placement, LETTERBOX_PLACEMENTS.join(' or '));
  if (!(input.padValue >= 0 && input.padValue <= 255)) throw bad('input -> padValue', input.padValue, 'a pixel byte from 0 to 255');
  if (!isTriple(input.mean)) throw bad('input -> mean', input.mean, 'three finite numbers, one per channel');
  if (!isTriple(input.std) || input.std.some((s) => s <= 0)) throw bad('input -> std', input.std, 'three positive numbers, one per channel');
}

const isTriple = (v: unknown): v is Triple => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
