/**
 * The world's cameras: named after a spot in the owner's home and the owner ("Garage (Maria)"), with a model from
 * a real product line, a unique MAC address and a device secret.
 */
import { cameraId } from './ids.ts';
import type { Random } from './random.ts';
import type { Camera, User } from './types.ts';

const SPOTS = [
  'Front Door', 'Garage', 'Backyard', 'Driveway', 'Living Room', 'Kitchen', 'Nursery', 'Porch',
  'Office', 'Basement', 'Side Gate', 'Hallway', 'Patio', 'Shed', 'Bedroom', 'Garden',
] as const;
const MODELS = [
  'Wyze Cam v3', 'Wyze Cam v4', 'Wyze Cam OG', 'Wyze Cam Pan v2', 'Wyze Cam Pan v3',
  'Wyze Cam Floodlight v2', 'Wyze Battery Cam Pro', 'Wyze Duo Cam Doorbell',
] as const;
const DOORBELLS = ['Wyze Video Doorbell v2', 'Wyze Video Doorbell Pro'] as const;
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_LENGTH = 32;
/**
 * MACs are unique because their low 24 bits are a bijection of the camera's index: odd multipliers, offsets and
 * xor-shifts are each invertible mod 2^24, and mixing them keeps consecutive cameras from looking consecutive.
 */
const MAC_SPACE = 0x100_0000;

/**
 * Cameras for `owners[i]` owning `counts[i]` cameras each, numbered in owner order. Owners are the users; `counts`
 * comes from `camerasPerUser`.
 */
export function generateCameras(owners: readonly User[], counts: readonly number[], random: Random): Camera[] {
  const macPrefix = macPrefixOf(random);
  const scramble = macScrambler(random);
  const cameras: Camera[] = [];
  owners.forEach((owner, ownerIndex) => {
    const owned = counts[ownerIndex] ?? 0;
    if (owned === 0) return;
    const firstName = owner.name.split(' ')[0] ?? owner.name;
    // Distinct spots per home: nobody has two cameras both called "Garage".
    const spots = random.shuffle([...SPOTS]).slice(0, owned);
    for (const spot of spots) {
      const index = cameras.length;
      cameras.push({
        cameraId: cameraId(index),
        secret: random.text(SECRET_LENGTH, SECRET_ALPHABET),
        name: `${spot} (${firstName})`,
        model: spot === 'Front Door' && random.chance(0.6) ? random.pick(DOORBELLS) : random.pick(MODELS),
        mac: macOf(macPrefix, scramble(index)),
        ownerId: owner.userId,
      });
    }
  });
  return cameras;
}

function macScrambler(random: Random): (index: number) => number {
  // Products stay below 2^48, exact in a double.
  const step = (random.uint32() | 1) % MAC_SPACE;
  const offset = random.uint32() % MAC_SPACE;
  const mix = (random.uint32() | 1) % MAC_SPACE;
  return (index) => {
    let v = (((index % MAC_SPACE) * step) % MAC_SPACE + offset) % MAC_SPACE;
    v ^= v >>> 12;
    v = (v * mix) % MAC_SPACE;
    return v ^ (v >>> 11);
  };
}

/** A locally administered (bit 1 set), unicast (bit 0 clear) first octet, so no real vendor's MAC is reused. */
function macPrefixOf(random: Random): number[] {
  const first = (random.below(256) | 0x02) & 0xfe;
  return [first, random.below(256), random.below(256)];
}

function macOf(prefix: number[], low24: number): string {
  const octets = [...prefix, (low24 >>> 16) & 0xff, (low24 >>> 8) & 0xff, low24 & 0xff];
  return octets.map((octet) => octet.toString(16).padStart(2, '0')).join(':');
}
