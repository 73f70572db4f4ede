import { registerEnumType } from 'type-graphql';

export enum Feature {
  PERSONAL_ACCESS_TOKENS = 'PERSONAL_ACCESS_TOKENS',
}

registerEnumType(Feature, {
  name: 'Feature',
  valuesConfig: {
    PERSONAL_ACCESS_TOKENS: {
      description: 'Lets every user generate personal access tokens. Off until an admin enables it.',
    },
  },
});
