// Plain data shapes of the board, shared by the model, renderer, exporter and element. No DOM, no lit.

export type ElementType = 'pen' | 'rectangle' | 'ellipse' | 'arrow' | 'text' | 'image';
export type Tool = 'select' | 'pen' | 'rectangle' | 'ellipse' | 'arrow' | 'text' | 'eraser';

/**
 * One element on the board, in world coordinates. `x, y, w, h` is the element's box; for arrows it
 * runs from the tail (x, y) to the head (x + w, y + h), so w and h may be negative.
 */
export interface BoardElement {
  id: string;
  type: ElementType;
  x: number;
  y: number;
  w: number;
  h: number;
  /** CSS colour of the stroke or text. */
  color: string;
  /** Stroke width in world units. */
  width: number;
  /** Stacking order; ties are broken by id so every peer draws the same order. */
  z: number;
  /** Who created it (bare JID), for display and the tests of "what each user did". */
  author: string;
  /** Pen: flat [x, y, pressure, …] relative to (x, y) at the natural size pw × ph. */
  points?: number[];
  pw?: number;
  ph?: number;
  /** Pen: the pressure came from a real pen (else perfect-freehand simulates it). */
  pressure?: boolean;
  /** Text content (rendered as text, never as HTML). */
  text?: string;
  /** Text: font size in world units. */
  fontSize?: number;
  /** Image: an http(s) URL from HTTP File Upload. */
  src?: string;
}

export interface Rect { x: number; y: number; w: number; h: number }
export interface Point { x: number; y: number }

/** The element fields a caller supplies when adding one; id, z and author are filled in. */
export type NewElement = Omit<BoardElement, 'id' | 'z' | 'author'> & { id?: string };
