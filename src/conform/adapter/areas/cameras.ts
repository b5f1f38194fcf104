/** `users.cameras`: each user lists exactly the cameras the world gives them, each with their role. */
import type { Area } from '../../expectation.ts';
import { sceneOf, type Scene } from '../scene.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { expectCamerasOf } from './access.ts';

export const camerasArea: Area<Scene, AdapterSubject, Hook> = {
  name: 'cameras',
  setup: sceneOf,
  steps: [
    { name: 'alice lists exactly her cameras, with her role on each', run: (scene) => expectCamerasOf(scene, 'alice') },
    { name: 'bob lists exactly his cameras, with his role on each', run: (scene) => expectCamerasOf(scene, 'bob') },
  ],
};
