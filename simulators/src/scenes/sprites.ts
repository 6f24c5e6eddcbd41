import type { SceneObject } from './scene-spec.js';

/**
 * SVG drawings of each object class inside a 100 × 100 view box that is stretched over the object's
 * screen box: every drawing touches all four edges of its box, so the box is exact. A drawing has a
 * body (darkened by the lighting) and an emissive part (lamps, drawn over the darkness).
 */
export interface Sprite {
  body: string;
  emissive: string;
}

const SKIN = ['#f1c8a5', '#d9a77e', '#b07a52', '#7a4f32', '#e8bd98'];

function darker(hex: string, factor: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const c = (shift: number): string => Math.round(((n >> shift) & 255) * factor).toString(16).padStart(2, '0');
  return `#${c(16)}${c(8)}${c(0)}`;
}

function carSprite(o: SceneObject): Sprite {
  const front = o.view === 'front';
  const glass = front ? '#2a3440' : '#1e252d';
  const lamp = front ? '#fff6d8' : '#e0202a';
  return {
    body:
      `<path d="M20 0 H80 L94 44 H6 Z" fill="${o.accent}"/>` +
      `<path d="M24 6 H76 L86 40 H14 Z" fill="${glass}"/>` +
      `<rect x="0" y="40" width="100" height="46" rx="8" fill="${o.colour}"/>` +
      `<rect x="2" y="76" width="96" height="10" fill="${darker(o.colour, 0.55)}"/>` +
      `<rect x="38" y="${front ? 56 : 62}" width="24" height="10" fill="${front ? '#f4f4f4' : '#f5d223'}"/>` +
      (front ? `<rect x="26" y="48" width="48" height="6" fill="${darker(o.colour, 0.4)}"/>` : '') +
      `<rect x="5" y="82" width="20" height="18" rx="3" fill="#151515"/><rect x="75" y="82" width="20" height="18" rx="3" fill="#151515"/>`,
    emissive: `<rect x="4" y="48" width="16" height="10" rx="2" fill="${lamp}"/><rect x="80" y="48" width="16" height="10" rx="2" fill="${lamp}"/>`,
  };
}

function busSprite(o: SceneObject): Sprite {
  const front = o.view === 'front';
  const doubleDeck = o.heightM > 3.6;
  const windows = doubleDeck
    ? `<rect x="6" y="8" width="88" height="24" rx="3" fill="#1d2630"/><rect x="6" y="44" width="88" height="${front ? 30 : 22}" rx="3" fill="#1d2630"/>`
    : `<rect x="6" y="12" width="88" height="${front ? 46 : 32}" rx="3" fill="#1d2630"/>`;
  const lamp = front ? '#fff6d8' : '#e0202a';
  return {
    body:
      `<rect x="0" y="0" width="100" height="94" rx="6" fill="${o.colour}"/>` +
      `<rect x="0" y="${doubleDeck ? 36 : 62}" width="100" height="6" fill="${o.accent}"/>` +
      windows +
      (front ? `<rect x="20" y="1" width="60" height="6" fill="#111"/><rect x="24" y="2" width="34" height="4" fill="#f08a1c"/>` : '') +
      `<rect x="34" y="84" width="32" height="7" fill="#f0f0f0"/>` +
      `<rect x="6" y="90" width="18" height="10" rx="2" fill="#151515"/><rect x="76" y="90" width="18" height="10" rx="2" fill="#151515"/>`,
    emissive: `<rect x="4" y="78" width="12" height="7" fill="${lamp}"/><rect x="84" y="78" width="12" height="7" fill="${lamp}"/>`,
  };
}

function truckSprite(o: SceneObject): Sprite {
  if (o.view === 'front') {
    return {
      body:
        `<rect x="0" y="0" width="100" height="34" fill="${o.accent}"/>` +
        `<rect x="6" y="26" width="88" height="62" rx="6" fill="${o.colour}"/>` +
        `<rect x="12" y="32" width="76" height="24" rx="3" fill="#27313b"/>` +
        `<rect x="22" y="64" width="56" height="12" fill="${darker(o.colour, 0.45)}"/>` +
        `<rect x="8" y="86" width="18" height="14" rx="2" fill="#151515"/><rect x="74" y="86" width="18" height="14" rx="2" fill="#151515"/>`,
      emissive: `<rect x="10" y="66" width="10" height="7" fill="#fff6d8"/><rect x="80" y="66" width="10" height="7" fill="#fff6d8"/>`,
    };
  }
  return {
    body:
      `<rect x="0" y="0" width="100" height="84" rx="2" fill="${o.accent}"/>` +
      `<line x1="50" y1="4" x2="50" y2="82" stroke="${darker(o.accent, 0.6)}" stroke-width="1.5"/>` +
      `<rect x="3" y="4" width="94" height="78" fill="none" stroke="${darker(o.accent, 0.7)}" stroke-width="2"/>` +
      `<rect x="2" y="84" width="96" height="6" fill="#2a2a2a"/><rect x="38" y="76" width="24" height="7" fill="#f5d223"/>` +
      `<rect x="4" y="88" width="22" height="12" rx="2" fill="#151515"/><rect x="74" y="88" width="22" height="12" rx="2" fill="#151515"/>`,
    emissive: `<rect x="4" y="76" width="10" height="6" fill="#e0202a"/><rect x="86" y="76" width="10" height="6" fill="#e0202a"/>`,
  };
}

/** Side view facing right; mirrored for "left". */
function mirror(o: SceneObject, sprite: Sprite): Sprite {
  if (o.view !== 'left') return sprite;
  const wrap = (s: string): string => `<g transform="translate(100 0) scale(-1 1)">${s}</g>`;
  return { body: wrap(sprite.body), emissive: wrap(sprite.emissive) };
}

function riderSprite(o: SceneObject, helmet: boolean): string {
  const skin = SKIN[Math.floor(o.variant * SKIN.length)]!;
  return (
    `<path d="M44 22 L62 20 L66 52 L42 56 Z" fill="${o.accent}"/>` +
    `<path d="M60 26 L80 40 L76 44 L58 32 Z" fill="${o.accent}"/>` +
    (helmet ? `<ellipse cx="56" cy="11" rx="11" ry="11" fill="${o.colour}"/><rect x="58" y="8" width="9" height="6" fill="#222"/>` : `<ellipse cx="56" cy="11" rx="9" ry="11" fill="${skin}"/><path d="M47 6 Q56 -6 65 6 Z" fill="#2a1d14"/>`)
  );
}

function motorcycleSprite(o: SceneObject): Sprite {
  return mirror(o, {
    body:
      riderSprite(o, true) +
      `<path d="M44 54 L62 56 L60 74 L48 78 Z" fill="#1d1f24"/>` +
      `<path d="M22 66 Q30 52 50 56 L72 50 L86 60 L84 72 L30 74 Z" fill="${o.colour}"/>` +
      `<ellipse cx="20" cy="80" rx="20" ry="20" fill="#141414"/><ellipse cx="20" cy="80" rx="9" ry="9" fill="#8c8c8c"/>` +
      `<ellipse cx="80" cy="80" rx="20" ry="20" fill="#141414"/><ellipse cx="80" cy="80" rx="9" ry="9" fill="#8c8c8c"/>`,
    emissive: `<rect x="90" y="58" width="8" height="6" fill="#fff6d8"/><rect x="16" y="62" width="6" height="5" fill="#e0202a"/>`,
  });
}

function bicycleSprite(o: SceneObject): Sprite {
  return mirror(o, {
    body:
      `<ellipse cx="20" cy="79" rx="18.5" ry="19.5" fill="none" stroke="#1a1a1a" stroke-width="3"/>` +
      `<ellipse cx="80" cy="79" rx="18.5" ry="19.5" fill="none" stroke="#1a1a1a" stroke-width="3"/>` +
      `<path d="M20 79 L42 79 L72 52 L38 52 Z M42 79 L38 46 M72 52 L80 79 M72 52 L70 40" fill="none" stroke="${o.colour}" stroke-width="4"/>` +
      `<path d="M48 56 L40 78 L46 78 L54 58 Z" fill="#2b2b3a"/>` +
      riderSprite({ ...o, accent: o.accent }, false),
    emissive: '',
  });
}

function personSprite(o: SceneObject): Sprite {
  const skin = SKIN[Math.floor(o.variant * SKIN.length)]!;
  const side = o.view === 'left' || o.view === 'right';
  const stride = Math.floor(o.variant * 7) % 3;
  const legs = side
    ? stride === 0
      ? `<path d="M34 54 L52 54 L46 100 L30 100 Z" fill="${o.accent}"/><path d="M50 54 L66 54 L74 100 L58 100 Z" fill="${o.accent}"/>`
      : `<path d="M36 54 L62 54 L60 100 L40 100 Z" fill="${o.accent}"/>`
    : `<rect x="26" y="54" width="22" height="46" fill="${o.accent}"/><rect x="52" y="54" width="22" height="46" fill="${o.accent}"/>`;
  const hair = o.variant > 0.5 ? '#1b1410' : '#3a2a1c';
  return mirror(o, {
    body:
      legs +
      `<rect x="18" y="16" width="64" height="42" rx="10" fill="${o.colour}"/>` +
      (side
        ? `<rect x="0" y="18" width="100" height="38" rx="14" fill="${o.colour}"/><rect x="38" y="20" width="24" height="36" rx="8" fill="${darker(o.colour, 0.8)}"/>`
        : `<rect x="0" y="18" width="18" height="36" rx="8" fill="${o.colour}"/><rect x="82" y="18" width="18" height="36" rx="8" fill="${o.colour}"/>`) +
      `<ellipse cx="50" cy="9" rx="16" ry="9" fill="${skin}"/><path d="M34 7 Q50 -9 66 7 Z" fill="${hair}"/>`,
    emissive: '',
  });
}

export function spriteFor(o: SceneObject): Sprite {
  switch (o.class) {
    case 'car':
      return carSprite(o);
    case 'bus':
      return busSprite(o);
    case 'truck':
      return truckSprite(o);
    case 'motorcycle':
      return motorcycleSprite(o);
    case 'bicycle':
      return bicycleSprite(o);
    case 'person':
      return personSprite(o);
  }
}
