/**
 * Where an image lands inside the model input after an aspect-preserving resize, and the mapping of boxes
 * between the two. Pure arithmetic; the pixels are moved by letterboxer.ts.
 */
import type { InputSettings } from '../model-settings.js';
import type { Box } from './frame.js';

export interface LetterboxLayout {
  srcWidth: number;
  srcHeight: number;
  dstWidth: number;
  dstHeight: number;
  /** Size of the resized image inside the input. */
  newWidth: number;
  newHeight: number;
  padLeft: number;
  padTop: number;
}

/**
 * Scale by the smaller ratio and round the new size (Ultralytics' letterbox), then place it: centred (odd
 * padding puts one more pixel right/bottom) or in the top-left corner (YOLOX).
 */
export function computeLetterbox(srcWidth: number, srcHeight: number, input: Pick<InputSettings, 'width' | 'height' | 'placement'>): LetterboxLayout {
  const { width: dstWidth, height: dstHeight } = input;
  const ratio = Math.min(dstWidth / srcWidth, dstHeight / srcHeight);
  const newWidth = Math.max(1, Math.min(dstWidth, Math.round(srcWidth * ratio)));
  const newHeight = Math.max(1, Math.min(dstHeight, Math.round(srcHeight * ratio)));
  const centred = input.placement === 'centre';
  return {
    srcWidth,
    srcHeight,
    dstWidth,
    dstHeight,
    newWidth,
    newHeight,
    padLeft: centred ? Math.floor((dstWidth - newWidth) / 2) : 0,
    padTop: centred ? Math.floor((dstHeight - newHeight) / 2) : 0,
  };
}

/**
 * Map a box from model-input pixels back to image pixels, clamped to the image. The resize maps pixel
 * edges linearly (x_src = x_dst × srcWidth / newWidth), so this is the exact inverse per axis.
 */
export function toImageBox(box: Box, l: LetterboxLayout): Box {
  const sx = l.srcWidth / l.newWidth;
  const sy = l.srcHeight / l.newHeight;
  const clampX = (v: number) => Math.min(l.srcWidth, Math.max(0, v));
  const clampY = (v: number) => Math.min(l.srcHeight, Math.max(0, v));
  return [clampX((box[0] - l.padLeft) * sx), clampY((box[1] - l.padTop) * sy), clampX((box[2] - l.padLeft) * sx), clampY((box[3] - l.padTop) * sy)];
}

/** Inverse of toImageBox (no clamping): where an image box lands in the model input. */
export function toInputBox(box: Box, l: LetterboxLayout): Box {
  const sx = l.newWidth / l.srcWidth;
  const sy = l.newHeight / l.srcHeight;
  return [box[0] * sx + l.padLeft, box[1] * sy + l.padTop, box[2] * sx + l.padLeft, box[3] * sy + l.padTop];
}
